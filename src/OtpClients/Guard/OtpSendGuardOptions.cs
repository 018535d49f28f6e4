namespace OtpClients.Guard;

/// <summary>
/// The send guard's rules (<c>otp.UseSendGuard(g =&gt; …)</c>, or the <c>SendGuard</c> section of the OTP configuration).
/// Every rule is optional: a limit of <c>0</c> (or an empty list) turns it off. The defaults protect a typical sign-in
/// flow; validated at start, with messages that name the setting.
/// </summary>
/// <remarks>
/// <para>
/// A refused send or verify makes no HTTP call. It returns <see cref="OtpErrorCode.RateLimited"/> with
/// <see cref="OtpError.RetryAfter"/> for a budget, or <see cref="OtpErrorCode.Blocked"/> for a policy (region, blocked
/// number); <see cref="OtpError.ProviderCode"/> names the rule (<see cref="OtpGuardRules"/>). Each refusal is counted by
/// the <c>otp.guard.refusals</c> counter of the <c>OtpClients</c> meter, tagged by rule, never by number.
/// </para>
/// <para>
/// All counters of one send are taken together, all or nothing: a send refused by one rule uses up no other budget.
/// Counters are sliding windows (the last <c>N</c> sends in the last window), so a refusal's <c>RetryAfter</c> is when
/// the oldest counted send leaves the window.
/// </para>
/// <para>
/// A send or verify the provider surely did not accept (an error with <see cref="OtpError.IsTransient"/> and not
/// <see cref="OtpError.MayHaveBeenAccepted"/>: an outage, an open circuit, the provider's throttling) sent, billed and
/// checked nothing, so it gives back what it counted, except the IP budget (a client hammering during an outage is
/// still throttled). Any other failure keeps its counts, a per-recipient limit (<see cref="OtpError.IsRecipientLimit"/>) included.
/// </para>
/// </remarks>
public sealed class OtpSendGuardOptions
{
    /// <summary>Gets or sets the least time between two sends to one number. Defaults to 30 seconds; <see cref="TimeSpan.Zero"/> turns it off.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the most sends to one number per <see cref="NumberWindow"/>. Defaults to 5; 0 turns it off.</summary>
    public int MaxSendsPerNumber { get; set; } = 5;

    /// <summary>Gets or sets the window of <see cref="MaxSendsPerNumber"/>. Defaults to 1 hour.</summary>
    public TimeSpan NumberWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the most sends requested from one client IP (<see cref="OtpSendRequest.ClientIpAddress"/>) per
    /// <see cref="IpWindow"/>. Defaults to 10; 0 turns it off. IPv6 addresses count by their /64 prefix, which one
    /// subscriber usually holds whole. A send without an IP address is not counted (see <see cref="RequireClientIpAddress"/>).
    /// </summary>
    public int MaxSendsPerIp { get; set; } = 10;

    /// <summary>Gets or sets the window of <see cref="MaxSendsPerIp"/>. Defaults to 1 hour.</summary>
    public TimeSpan IpWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the most distinct regions (countries) one client IP may send to per <see cref="RegionsPerIpWindow"/>:
    /// pumping spreads over many countries' premium ranges, a real user rarely needs more than one or two. Defaults to 3;
    /// 0 turns it off. A send to a region already counted for the IP is not refused by this rule.
    /// </summary>
    public int MaxRegionsPerIp { get; set; } = 3;

    /// <summary>Gets or sets the window of <see cref="MaxRegionsPerIp"/>. Defaults to 24 hours.</summary>
    public TimeSpan RegionsPerIpWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets the regions (ISO 3166-1 alpha-2 codes such as <c>IL</c>, from the phone number) sends may go to; any other
    /// is refused with <see cref="OtpErrorCode.Blocked"/>. Empty (the default): every region not in <see cref="BlockedRegions"/>.
    /// A number whose region cannot be told (a non-geographic range) is refused when this list is set.
    /// </summary>
    public IList<string> AllowedRegions { get; } = [];

    /// <summary>Gets the regions sends never go to (<see cref="OtpErrorCode.Blocked"/>). Empty by default.</summary>
    public IList<string> BlockedRegions { get; } = [];

    /// <summary>
    /// Gets the numbers sends never go to (<see cref="OtpErrorCode.Blocked"/>), in any form <see cref="PhoneNumber.Parse(string)"/>
    /// reads, compared as E.164. Empty by default.
    /// </summary>
    public IList<string> BlockedNumbers { get; } = [];

    /// <summary>Gets or sets the most sends to numbers of one region per <see cref="RegionWindow"/>. Defaults to 0 (off).</summary>
    public int MaxSendsPerRegion { get; set; }

    /// <summary>Gets or sets the window of <see cref="MaxSendsPerRegion"/>. Defaults to 1 hour.</summary>
    public TimeSpan RegionWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the most sends of the whole app per hour, all numbers together: a spend cap. Defaults to 0 (off).</summary>
    public int MaxSendsPerHour { get; set; }

    /// <summary>
    /// Gets or sets the most verify attempts per challenge, against brute force of short codes. An attempt over the cap
    /// makes no HTTP call and fails with <see cref="OtpErrorCode.RateLimited"/>, <see cref="OtpError.RetryAfter"/> set to
    /// the challenge's expiry. Defaults to 5; 0 turns it off.
    /// </summary>
    public int MaxVerifyAttempts { get; set; } = 5;

    /// <summary>Gets the conversion guard: throttles a region whose sends mostly never verify. Off by default.</summary>
    public OtpConversionGuardOptions Conversion { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether a send without <see cref="OtpSendRequest.ClientIpAddress"/> is refused
    /// (<see cref="OtpErrorCode.InvalidRequest"/>), so no caller can skip the per-IP rules by leaving it out.
    /// Defaults to <see langword="false"/>.
    /// </summary>
    public bool RequireClientIpAddress { get; set; }

    /// <summary>
    /// Gets or sets what happens when the guard's store cannot be reached (Redis down). Defaults to
    /// <see cref="OtpGuardFailureMode.FailClosed"/>: sends and verifies fail with <see cref="OtpErrorCode.ProviderUnavailable"/>
    /// and nothing is sent. <see cref="OtpGuardFailureMode.FailOpen"/> lets them through unguarded and logs a warning.
    /// </summary>
    public OtpGuardFailureMode OnStoreFailure { get; set; } = OtpGuardFailureMode.FailClosed;
}

/// <summary>
/// The conversion guard of <see cref="OtpSendGuardOptions.Conversion"/>. Pumped numbers never verify: when, over
/// <see cref="Window"/>, the share of a region's sends that did not verify passes <see cref="MaxUnverifiedRatio"/>,
/// sends to that region are refused (<see cref="OtpErrorCode.RateLimited"/>) until old sends leave the window and the
/// share falls back. Verifications are counted from <see cref="IOtpClient.VerifyAsync"/> results through the guarded client,
/// so verification sessions (where the number cannot be forged) give the truest signal.
/// </summary>
public sealed class OtpConversionGuardOptions
{
    /// <summary>Gets or sets a value indicating whether the conversion guard is on. Defaults to <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the sliding window the share is computed over. Defaults to 1 hour.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long a send is given to verify before it counts as unverified: sends younger than this are not
    /// counted. Defaults to 10 minutes (the longest code lifetime of the built-in providers). Shorter than <see cref="Window"/>.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the fewest counted sends of a region before the share is judged, so a few lost codes never block a country. Defaults to 20.</summary>
    public int MinSends { get; set; } = 20;

    /// <summary>Gets or sets the share of unverified sends (0 to 1) above which a region is throttled. Defaults to 0.8.</summary>
    public double MaxUnverifiedRatio { get; set; } = 0.8;
}

/// <summary>What the send guard does when its store cannot be reached.</summary>
public enum OtpGuardFailureMode
{
    /// <summary>Refuse: sends and verifies fail with <see cref="OtpErrorCode.ProviderUnavailable"/> and nothing reaches a provider.</summary>
    FailClosed,

    /// <summary>Let the request through unguarded, and log a warning each time.</summary>
    FailOpen,
}

/// <summary>The names of the send guard's rules: the <see cref="OtpError.ProviderCode"/> of a refusal, and the <c>otp.guard.rule</c> tag of the <c>otp.guard.refusals</c> counter.</summary>
public static class OtpGuardRules
{
    /// <summary><see cref="OtpSendGuardOptions.Cooldown"/>.</summary>
    public const string Cooldown = "cooldown";

    /// <summary><see cref="OtpSendGuardOptions.MaxSendsPerNumber"/>.</summary>
    public const string Number = "number";

    /// <summary><see cref="OtpSendGuardOptions.MaxSendsPerIp"/>.</summary>
    public const string Ip = "ip";

    /// <summary><see cref="OtpSendGuardOptions.MaxRegionsPerIp"/>.</summary>
    public const string RegionsPerIp = "regions_per_ip";

    /// <summary><see cref="OtpSendGuardOptions.AllowedRegions"/> and <see cref="OtpSendGuardOptions.BlockedRegions"/>.</summary>
    public const string BlockedRegion = "blocked_region";

    /// <summary><see cref="OtpSendGuardOptions.BlockedNumbers"/>.</summary>
    public const string BlockedNumber = "blocked_number";

    /// <summary><see cref="OtpSendGuardOptions.MaxSendsPerRegion"/>.</summary>
    public const string Region = "region";

    /// <summary><see cref="OtpSendGuardOptions.MaxSendsPerHour"/>.</summary>
    public const string Global = "global";

    /// <summary><see cref="OtpSendGuardOptions.Conversion"/>.</summary>
    public const string Conversion = "conversion";

    /// <summary><see cref="OtpSendGuardOptions.MaxVerifyAttempts"/>.</summary>
    public const string VerifyAttempts = "verify_attempts";

    /// <summary>The store could not be reached and <see cref="OtpSendGuardOptions.OnStoreFailure"/> is <see cref="OtpGuardFailureMode.FailClosed"/>.</summary>
    public const string StoreUnavailable = "store_unavailable";
}
