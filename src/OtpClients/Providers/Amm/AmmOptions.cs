namespace OtpClients.Amm;

/// <summary>Settings of the AMM client (SMS OTP v2, <c>https://api.amm.cloud/sms/v2/verify/…</c>).</summary>
/// <remarks>
/// Bound from the <c>Otp:Amm</c> configuration section by <c>AddOtpClient(configuration)</c>. Defaults left
/// <see langword="null"/> are not sent, so AMM's own defaults apply (code length 4, 3 attempts, 300 s, 7BIT).
/// </remarks>
public sealed class AmmOptions : OtpProviderOptions
{
    /// <summary>AMM's public origin: <c>https://api.amm.cloud/</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.amm.cloud/");

    /// <summary>The default of <see cref="MessageTemplate"/>: <c>"Your verification code is {code}"</c>.</summary>
    public const string DefaultMessageTemplate = "Your verification code is {code}";

    /// <summary>The time to live AMM applies when none is sent: 300 seconds.</summary>
    public static readonly TimeSpan ProviderDefaultTimeToLive = TimeSpan.FromSeconds(300);

    /// <summary>Initializes the options with AMM's defaults.</summary>
    public AmmOptions()
        : base(DefaultBaseAddress)
    {
    }

    /// <summary>Gets or sets the AMM <c>AUTH_KEY</c> (HTTP Basic user). Required.</summary>
    public string? AuthKey { get; set; }

    /// <summary>Gets or sets the AMM <c>AUTH_SECRET</c> (HTTP Basic password). Required. Never logged.</summary>
    public string? AuthSecret { get; set; }

    /// <summary>
    /// Gets or sets the default sender (<c>from</c>): a validated phone number or up to 11 letters and digits. Defaults to
    /// <see langword="null"/>: AMM uses the profile's default sender.
    /// </summary>
    public string? Sender { get; set; }

    /// <summary>Gets or sets the default message (<c>text</c>, which AMM requires), with <c>{code}</c>. Defaults to <see cref="DefaultMessageTemplate"/>.</summary>
    public string MessageTemplate { get; set; } = DefaultMessageTemplate;

    /// <summary>
    /// Gets or sets the application id (<c>app_id</c>). AMM keeps one active code per recipient and application. Defaults to
    /// <see langword="null"/> (not sent).
    /// </summary>
    public string? AppId { get; set; }

    /// <summary>Gets or sets the text encoding (<c>encoding</c>). Defaults to <see langword="null"/> (not sent: AMM uses 7BIT).</summary>
    public AmmEncoding? Encoding { get; set; }

    /// <summary>Gets or sets the default code length (<c>code_len</c>), 4..6. Defaults to <see langword="null"/> (not sent: AMM uses 4).</summary>
    public int? CodeLength { get; set; }

    /// <summary>Gets or sets the number of attempts allowed (<c>max_retry</c>), 1..20. Defaults to <see langword="null"/> (not sent: AMM uses 3).</summary>
    public int? MaxRetry { get; set; }

    /// <summary>Gets or sets the default time to live (<c>ttl</c>), whole seconds, at least 10 s. Defaults to <see langword="null"/> (not sent: AMM uses 300 s).</summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether sends are sandboxed (<c>sandbox=true</c>): AMM sends no SMS and
    /// <see cref="AmmOtpClient.SearchAsync(string, CancellationToken)"/> returns the code. Defaults to <see langword="false"/>.
    /// </summary>
    public bool Sandbox { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a wrong code (<c>FAILED</c>) is followed by a read of the request's status
    /// (<c>verify/search</c>: one more request per wrong code, logged at Debug only) to answer
    /// <see cref="OtpVerificationStatus.TooManyAttempts"/> once AMM has closed the request after <see cref="MaxRetry"/>
    /// wrong codes. AMM answers <c>FAILED</c> both for a wrong code and for a closed request, so without the read the two
    /// are not told apart: every such answer is <see cref="OtpVerificationStatus.InvalidCode"/>, and a user whose
    /// attempts are spent keeps being told "wrong code" (verification sessions cap attempts on their side anyway).
    /// Defaults to <see langword="false"/>.
    /// </summary>
    public bool DetectSpentAttempts { get; set; }

    /// <inheritdoc />
    protected override string SectionName => "Amm";

    /// <inheritdoc />
    protected override void ValidateProvider(ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(AuthKey))
        {
            errors.Add("Amm.AuthKey is required.");
        }

        if (string.IsNullOrWhiteSpace(AuthSecret))
        {
            errors.Add("Amm.AuthSecret is required.");
        }

        if (AuthKey?.Contains(':', StringComparison.Ordinal) == true)
        {
            errors.Add("Amm.AuthKey must not contain ':' (it is the HTTP Basic user name).");
        }

        if (!OtpClients.MessageTemplate.TryParse(MessageTemplate, out _, out var templateError))
        {
            errors.Add($"Amm.MessageTemplate: {templateError}");
        }

        if (Sender is not null && Senders.Check(Sender, OtpProviderNames.Amm, out _, out _) is { } senderError)
        {
            errors.Add($"Amm.{senderError.Message}");
        }

        if (CodeLength is < 4 or > 6)
        {
            errors.Add("Amm.CodeLength must be between 4 and 6.");
        }

        if (MaxRetry is < 1 or > 20)
        {
            errors.Add("Amm.MaxRetry must be between 1 and 20.");
        }

        if (TimeToLive is { } ttl && (ttl < TimeSpan.FromSeconds(10) || ttl.Ticks % TimeSpan.TicksPerSecond != 0 || ttl.TotalSeconds > int.MaxValue))
        {
            errors.Add("Amm.TimeToLive must be whole seconds, at least 10.");
        }

        if (Encoding is { } encoding && !Enum.IsDefined(encoding))
        {
            errors.Add("Amm.Encoding must be SevenBit, Ucs2 or Auto.");
        }

        if (AppId is not null && (AppId.Length is 0 or > 64 || AppId.Any(char.IsControl)))
        {
            errors.Add("Amm.AppId must be 1 to 64 characters without control characters.");
        }
    }
}

/// <summary>The text encodings AMM accepts (<c>encoding</c>).</summary>
public enum AmmEncoding
{
    /// <summary><c>7BIT</c>: the GSM alphabet, 160 characters per SMS.</summary>
    SevenBit,

    /// <summary><c>UCS2</c>: any character, 70 per SMS.</summary>
    Ucs2,

    /// <summary><c>AUTO</c>: AMM picks from the text.</summary>
    Auto,
}
