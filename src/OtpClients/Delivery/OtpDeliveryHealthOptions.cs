namespace OtpClients.Delivery;

/// <summary>
/// Delivery health (<c>otp.UseDeliveryHealth(o =&gt; …)</c>, or the <c>DeliveryHealth</c> section of the OTP configuration):
/// the SDK learns from its own verification sessions which providers deliver, and sends new sessions to the next
/// provider of the route first when one stops converting. Validated at start, with messages that name the setting.
/// </summary>
/// <remarks>
/// <para>
/// An accepted send is not a delivered SMS. A send that is not verified within <see cref="VerifyWithin"/>, and a send the
/// user asked to have sent again (<see cref="IOtpVerificationSessions.ResendAsync(string, string?, System.Threading.CancellationToken)"/>), count against the provider and
/// region that sent it; a verification within <see cref="VerifyWithin"/> counts for it. It counts people, not requests:
/// one client network adds at most <see cref="MaxSendsPerNetwork"/> sessions to a provider's figures in the window, and a
/// resend counts against the provider only when asked from the network that started the session. A provider is <b>demoted</b> for a
/// region when the conversion of its newest <see cref="MinSends"/> outcomes is, with 95 % confidence, below
/// <see cref="DemotionRatio"/> times its baseline: the better of its own older figures in the <see cref="Window"/> and the
/// other providers' of the region. New sessions then try the next provider of the route first; a share
/// (<see cref="ProbeShare"/>) still goes to it first, so that it earns its traffic back once it converts again.
/// </para>
/// <para>
/// Demotion only reorders a route: it never refuses a send (the send guard is what refuses). When its store cannot be
/// reached it routes by the configured order and logs once. <c>docs/delivery-health.md</c> has the rule, its maths and
/// its trade-offs.
/// </para>
/// </remarks>
public sealed class OtpDeliveryHealthOptions
{
    /// <summary>
    /// Gets or sets how far back the figures go: outcomes of sends older than this are forgotten. It bounds how long a
    /// demotion lasts without newer evidence, not how fast one is detected (that takes <see cref="MinSends"/> outcomes).
    /// Defaults to 6 hours. From 1 second to 7 days; longer than <see cref="VerifyWithin"/>.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Gets or sets the fewest outcomes (verified or not) a provider's figures need before they are judged, and the size
    /// of the newest sample that is compared with the baseline. Defaults to 20. From 5 to 100,000.
    /// </summary>
    public int MinSends { get; set; } = 20;

    /// <summary>
    /// Gets or sets how long a send is given to be verified: one still unverified after this counts against the provider
    /// (a verification later than this counts for nothing). Defaults to 10 minutes, the lifetime of most codes. From 100
    /// milliseconds to 1 day; shorter than <see cref="Window"/>.
    /// </summary>
    public TimeSpan VerifyWithin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets how far below its baseline a provider's conversion must fall to be demoted: demoted when the upper
    /// bound of its recent conversion is under <c>DemotionRatio × baseline</c>. Defaults to 0.5. From 0.05 to 0.95.
    /// </summary>
    public double DemotionRatio { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets the most sessions of one client network (an IPv4 /24 or an IPv6 /48, as the send guard reckons them)
    /// that count as evidence for one provider and region within the <see cref="Window"/>. It bounds what one client, or a
    /// bot on a few addresses, can weigh: sessions past it still send and verify, but add nothing to the figures. With
    /// the defaults, a demotion needs failures from at least <c>MinSends / MaxSendsPerNetwork</c> networks (10).
    /// Sessions started without <see cref="OtpSendRequest.ClientIpAddress"/> are not bounded (they count as each one
    /// comes): pass the client's address. Defaults to 2. From 1 to 1,000.
    /// </summary>
    public int MaxSendsPerNetwork { get; set; } = 2;

    /// <summary>
    /// Gets or sets the share of new sessions that still go first to a demoted provider, so that its recovery is seen.
    /// Defaults to 0.05 (one session in 20). From 0 (never: it stays demoted until its figures leave the window) to 0.5.
    /// </summary>
    public double ProbeShare { get; set; } = 0.05;
}
