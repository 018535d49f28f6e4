namespace OtpClients.Emulator;

/// <summary>Settings of an <see cref="OtpEmulator"/>.</summary>
public sealed class OtpEmulatorOptions
{
    /// <summary>Gets or sets the loopback port to listen on; 0 picks a free one. Defaults to 0.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Gets or sets the URLs to listen on instead (Kestrel's syntax, <c>;</c>-separated, for example
    /// <c>http://0.0.0.0:5087</c>). Defaults to <see langword="null"/>: <c>http://127.0.0.1:{Port}</c>, loopback only. The
    /// emulator shows every code it sends, so listening beyond loopback is for an explicit choice (see
    /// <see cref="OtpEmulator.IsLoopbackOnly"/>).
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>
    /// Gets the extra <c>Host</c> names the emulator answers (a name in the machine's hosts file, a container's service
    /// name; <c>*.example.test</c> for every subdomain). It always answers <c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>
    /// and the hosts of the URLs it listens on; any other name gets 400. That stops DNS rebinding: a web page that points
    /// its own name at 127.0.0.1 would otherwise read the codes and credentials. Empty by default.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Gets or sets the clock that issues and expires codes. Defaults to <see cref="TimeProvider.System"/>; pass a test clock to move time by hand.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the AMM <c>AUTH_KEY</c> accepted. Defaults to <c>amm-emulator-key</c>.</summary>
    public string AmmAuthKey { get; set; } = "amm-emulator-key";

    /// <summary>Gets or sets the AMM <c>AUTH_SECRET</c> accepted. Defaults to <c>amm-emulator-secret</c>.</summary>
    public string AmmAuthSecret { get; set; } = "amm-emulator-secret";

    /// <summary>Gets or sets the iP1 account id accepted. Defaults to <c>ip1-10000</c>.</summary>
    public string Ip1AccountId { get; set; } = "ip1-10000";

    /// <summary>Gets or sets the iP1 API key accepted. Defaults to <c>ip1-emulator-key</c>.</summary>
    public string Ip1ApiKey { get; set; } = "ip1-emulator-key";

    /// <summary>Gets or sets the 99digital API key accepted. Defaults to <c>99digital-emulator-key</c>.</summary>
    public string NinetyNineDigitalApiKey { get; set; } = "99digital-emulator-key";

    /// <summary>The default <see cref="TwilioAccountSid"/>.</summary>
    public const string DefaultTwilioAccountSid = "AC0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e";

    /// <summary>The default <see cref="TwilioAuthToken"/>.</summary>
    public const string DefaultTwilioAuthToken = "twilio-emulator-token";

    /// <summary>The default <see cref="TwilioServiceSid"/>.</summary>
    public const string DefaultTwilioServiceSid = "VA0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e";

    /// <summary>Gets or sets the Twilio Account SID accepted (Twilio Verify v2, HTTP Basic). Defaults to <see cref="DefaultTwilioAccountSid"/>.</summary>
    public string TwilioAccountSid { get; set; } = DefaultTwilioAccountSid;

    /// <summary>Gets or sets the Twilio Auth Token accepted. Defaults to <see cref="DefaultTwilioAuthToken"/>.</summary>
    public string TwilioAuthToken { get; set; } = DefaultTwilioAuthToken;

    /// <summary>Gets or sets the Twilio Verify service SID served. Defaults to <see cref="DefaultTwilioServiceSid"/>.</summary>
    public string TwilioServiceSid { get; set; } = DefaultTwilioServiceSid;

    /// <summary>Gets the numeric 99digital senders that count as approved (local form); any other numeric sender gets reason 3. Defaults to <c>0500000000</c>.</summary>
    public ISet<string> NinetyNineDigitalApprovedSenders { get; } = new HashSet<string>(StringComparer.Ordinal) { "0500000000" };

    /// <summary>Gets or sets how many AMM sends one recipient may get in 60 minutes before <c>ANTISPAM</c>. Defaults to 10, as AMM documents.</summary>
    public int AmmAntispamLimit { get; set; } = 10;

    /// <summary>
    /// Gets or sets the code generator: given the provider name, the length and whether only digits are allowed, returns
    /// the code. Defaults to cryptographically random codes (digits, or upper-case letters and digits for iP1 without NumericOnly).
    /// </summary>
    public Func<string, int, bool, string>? CodeGenerator { get; set; }

    /// <summary>Gets or sets the seed of the random draws of probabilistic faults; <see langword="null"/> for an unseeded draw. Defaults to <see langword="null"/>.</summary>
    public int? FaultSeed { get; set; }
}
