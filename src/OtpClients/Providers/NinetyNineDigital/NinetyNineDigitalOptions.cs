namespace OtpClients.NinetyNineDigital;

/// <summary>Settings of the 99digital client (Verify SMS, <c>https://api.99digital.co.il/sms/verifySMS</c>).</summary>
/// <remarks>Bound from the <c>Otp:NinetyNineDigital</c> configuration section by <c>AddOtpClient(configuration)</c>.</remarks>
public sealed class NinetyNineDigitalOptions : OtpProviderOptions
{
    /// <summary>99digital's public origin: <c>https://api.99digital.co.il/</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.99digital.co.il/");

    /// <summary>The documented path of both send and check: <c>/sms/verifySMS</c>.</summary>
    public const string DefaultPath = "/sms/verifySMS";

    /// <summary>Initializes the options with 99digital's defaults.</summary>
    public NinetyNineDigitalOptions()
        : base(DefaultBaseAddress)
    {
    }

    /// <summary>Gets or sets the 99digital API key (the <c>apiKey</c> form field; no header carries it). Required. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the sender (<c>from</c>), which 99digital requires: up to 11 characters, either a name or an approved
    /// number (an Israeli number is sent in local form, <c>+972501234567</c> → <c>0501234567</c>). Required; a request's
    /// <see cref="OtpSendRequest.Sender"/> overrides it.
    /// </summary>
    public string? Sender { get; set; }

    /// <summary>
    /// Gets or sets the default message with <c>{code}</c> (sent as <c>message</c> with <c>##code##</c>). Defaults to
    /// <see langword="null"/> (not sent: 99digital uses "Your verification code is: ##code##").
    /// </summary>
    public string? MessageTemplate { get; set; }

    /// <summary>Gets or sets the path of send. Defaults to <c>/sms/verifySMS</c>.</summary>
    public string SendPath { get; set; } = DefaultPath;

    /// <summary>
    /// Gets or sets the path of check. Defaults to <c>/sms/verifySMS</c>: 99digital's documentation gives the same URL for
    /// send and check, which may be a copy error; set the right path here if 99digital tells you another.
    /// </summary>
    public string CheckPath { get; set; } = DefaultPath;

    /// <inheritdoc />
    protected override string SectionName => "NinetyNineDigital";

    /// <inheritdoc />
    protected override void ValidateProvider(ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            errors.Add("NinetyNineDigital.ApiKey is required.");
        }

        if (Sender is null)
        {
            errors.Add("NinetyNineDigital.Sender is required: 99digital refuses a send without a sender (reason 9).");
        }
        else if (NinetyNineDigitalOtpClient.CheckSender(Sender, out _) is { } senderError)
        {
            errors.Add($"NinetyNineDigital.{senderError.Message}");
        }

        if (MessageTemplate is not null && !OtpClients.MessageTemplate.TryParse(MessageTemplate, out _, out var templateError))
        {
            errors.Add($"NinetyNineDigital.MessageTemplate: {templateError}");
        }

        ValidatePath(nameof(SendPath), SendPath, errors);
        ValidatePath(nameof(CheckPath), CheckPath, errors);
    }

    private static void ValidatePath(string name, string? path, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path) || path[0] != '/' || path.StartsWith("//", StringComparison.Ordinal)
            || path.IndexOfAny(['?', '#', '\\', ' ']) >= 0 || !Uri.IsWellFormedUriString(path, UriKind.Relative))
        {
            errors.Add($"NinetyNineDigital.{name} must be an absolute path such as /sms/verifySMS (no query, no host).");
        }
    }
}
