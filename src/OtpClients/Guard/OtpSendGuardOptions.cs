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
    /// <summary>The number types <see cref="AllowedNumberTypes"/> may name: blocked unless named there.</summary>
    public static IReadOnlyList<string> BlockableNumberTypes { get; } = [PremiumRateType, SharedCostType, NonGeographicType];

    private const string PremiumRateType = "PremiumRate";
    private const string SharedCostType = "SharedCost";
    private const string NonGeographicType = "NonGeographic";

    /// <summary>
    /// Gets or sets a value indicating whether the guard is on. Defaults to <see langword="true"/>. Verification sessions
    /// (<see cref="IOtpVerificationSessions"/>) are guarded with these rules even without <c>otp.UseSendGuard()</c>;
    /// <c>false</c> (in code, or <c>SendGuard:Enabled</c> in configuration) turns the guard off everywhere, sessions
    /// included. Only for an app that guards sends itself.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the least time between two sends to one number. Defaults to 30 seconds; <see cref="TimeSpan.Zero"/> turns it off.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the most sends to one number per <see cref="NumberWindow"/>. Defaults to 5; 0 turns it off.</summary>
    public int MaxSendsPerNumber { get; set; } = 5;

    /// <summary>Gets or sets the window of <see cref="MaxSendsPerNumber"/>. Defaults to 1 hour.</summary>
    public TimeSpan NumberWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the most sends requested from one client IP (<see cref="OtpSendRequest.ClientIpAddress"/>) per
    /// <see cref="IpWindow"/>. Defaults to 10; 0 turns it off. IPv6 addresses count by their /64 prefix, which one
    /// subscriber usually holds whole (and by their /56 and /48 too: <see cref="MaxSendsPerIpv6Prefix56"/>,
    /// <see cref="MaxSendsPerIpv6Prefix48"/>); an IPv6 address that carries an IPv4 address (IPv4-mapped, 6to4, NAT64,
    /// Teredo) counts as that IPv4 address. A send without an IP address is not counted (see <see cref="RequireClientIpAddress"/>).
    /// </summary>
    public int MaxSendsPerIp { get; set; } = 10;

    /// <summary>Gets or sets the window of <see cref="MaxSendsPerIp"/>, <see cref="MaxSendsPerIpv6Prefix56"/> and <see cref="MaxSendsPerIpv6Prefix48"/>. Defaults to 1 hour.</summary>
    public TimeSpan IpWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the most sends requested from one IPv6 /56 per <see cref="IpWindow"/>, all its /64s together: a
    /// client that rotates through the /64s of its allocation counts once here. Defaults to 20; 0 turns it off.
    /// </summary>
    public int MaxSendsPerIpv6Prefix56 { get; set; } = 20;

    /// <summary>
    /// Gets or sets the most sends requested from one IPv6 /48 (a site's allocation) per <see cref="IpWindow"/>, all its
    /// /64s and /56s together. Defaults to 30 (three times <see cref="MaxSendsPerIp"/>'s default); 0 turns it off. Raise it
    /// for a large network of real users behind one /48 (a campus, a company).
    /// </summary>
    public int MaxSendsPerIpv6Prefix48 { get; set; } = 30;

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

    /// <summary>
    /// Gets the regions sends never go to (<see cref="OtpErrorCode.Blocked"/>). Empty by default. When set, a number of no
    /// region is refused too: it cannot be shown to be outside the list.
    /// </summary>
    public IList<string> BlockedRegions { get; } = [];

    /// <summary>
    /// Gets the number types sent to although pumping targets them, by name (of <see cref="BlockableNumberTypes"/>):
    /// <c>PremiumRate</c> (premium-rate ranges, the international <c>+979</c> included), <c>SharedCost</c>, and
    /// <c>NonGeographic</c> (numbers of no country: satellite <c>+881</c>, Inmarsat <c>+870</c>, international networks
    /// <c>+882</c>/<c>+883</c>, freephone <c>+800</c>, …). Types are libphonenumber's; a number of those types is
    /// refused with <see cref="OtpErrorCode.Blocked"/> (rule <see cref="OtpGuardRules.BlockedNumberType"/>) unless its type
    /// is named here. Empty by default: all three are blocked.
    /// </summary>
    public IList<string> AllowedNumberTypes { get; } = [];

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

    /// <summary>
    /// Gets or sets the most failed checks (a wrong code, or a check refused for too many attempts) from one client IP
    /// (an IPv4 address, an IPv6 /64) per <see cref="FailedChecksWindow"/>, across every challenge: a guesser who spreads
    /// tries over many codes is stopped here. A verified check does not count. Defaults to 20; 0 turns it off. Needs the
    /// IP on the verify request (<see cref="OtpVerifyRequest.ClientIpAddress"/>, or the IP given to <c>CheckAsync</c>).
    /// </summary>
    public int MaxFailedChecksPerIp { get; set; } = 20;

    /// <summary>
    /// Gets or sets the most failed checks from one network (an IPv4 /24, an IPv6 /48) per <see cref="FailedChecksWindow"/>.
    /// Defaults to 100; 0 turns it off.
    /// </summary>
    public int MaxFailedChecksPerPrefix { get; set; } = 100;

    /// <summary>Gets or sets the window of <see cref="MaxFailedChecksPerIp"/> and <see cref="MaxFailedChecksPerPrefix"/>. Defaults to 1 hour.</summary>
    public TimeSpan FailedChecksWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets the conversion guard: throttles the client IPs and networks whose sends mostly never verify. Off by default.</summary>
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
/// <see cref="Window"/>, the share of the sends requested from one client IP (an IPv4 address, an IPv6 /64), or from one
/// network (an IPv4 /24, an IPv6 /48), that did not verify passes <see cref="MaxUnverifiedRatio"/>, further sends from
/// that IP or network are refused (<see cref="OtpErrorCode.RateLimited"/>) until old sends leave the window and the share
/// falls back. It throttles those who lower conversion, never a region: a bot's unverified sends cannot lock out the
/// genuine users of a country. Verifications are counted from verify results through the guarded client, by the IP of
/// the verify request (<see cref="OtpVerifyRequest.ClientIpAddress"/>, or the IP given to <c>CheckAsync</c>), so pass the
/// client IP to both; a send without a client IP is not judged by this rule.
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

    /// <summary>Gets or sets the fewest counted sends of an IP or network before its share is judged, so a few lost codes never block anyone. Defaults to 20.</summary>
    public int MinSends { get; set; } = 20;

    /// <summary>Gets or sets the share of unverified sends (0 to 1) above which an IP or network is throttled. Defaults to 0.8.</summary>
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

    /// <summary><see cref="OtpSendGuardOptions.AllowedNumberTypes"/>: a premium-rate, shared-cost or non-geographic number.</summary>
    public const string BlockedNumberType = "blocked_number_type";

    /// <summary><see cref="OtpSendGuardOptions.MaxSendsPerIpv6Prefix56"/>.</summary>
    public const string Ipv6Prefix56 = "ip_56";

    /// <summary><see cref="OtpSendGuardOptions.MaxSendsPerIpv6Prefix48"/>.</summary>
    public const string Ipv6Prefix48 = "ip_48";

    /// <summary><see cref="OtpSendGuardOptions.MaxFailedChecksPerIp"/>.</summary>
    public const string FailedChecksPerIp = "failed_checks_ip";

    /// <summary><see cref="OtpSendGuardOptions.MaxFailedChecksPerPrefix"/>.</summary>
    public const string FailedChecksPerPrefix = "failed_checks_prefix";

    /// <summary><see cref="OtpSendGuardOptions.MaxSendsPerRegion"/>.</summary>
    public const string Region = "region";

    /// <summary><see cref="OtpSendGuardOptions.MaxSendsPerHour"/>.</summary>
    public const string Global = "global";

    /// <summary><see cref="OtpSendGuardOptions.Conversion"/>.</summary>
    public const string Conversion = "conversion";

    /// <summary>
    /// <see cref="OtpSendGuardOptions.MaxVerifyAttempts"/>: counted per provider and challenge id in its canonical form
    /// (or per number, for a provider that checks by number), so a rewritten id gets no fresh attempts.
    /// </summary>
    public const string VerifyAttempts = "verify_attempts";

    /// <summary>The store could not be reached and <see cref="OtpSendGuardOptions.OnStoreFailure"/> is <see cref="OtpGuardFailureMode.FailClosed"/>.</summary>
    public const string StoreUnavailable = "store_unavailable";
}
