namespace OtpClients.Ip1;

/// <summary>Settings of the iP1 client (<c>https://api.ip1sms.com/api/authentications…</c>).</summary>
/// <remarks>
/// Bound from the <c>Otp:Ip1</c> configuration section by <c>AddOtpClient(configuration)</c>. Defaults left
/// <see langword="null"/> are not sent, so the account settings (<see cref="Ip1OtpClient.GetSettingsAsync"/>) and then
/// iP1's own defaults apply (sender "iP1", code length 5, 1200 s, letters and digits).
/// </remarks>
public sealed class Ip1Options : OtpProviderOptions
{
    /// <summary>iP1's public origin: <c>https://api.ip1sms.com/</c>.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.ip1sms.com/");

    /// <summary>The time to live iP1 applies when none is sent: 1200 seconds.</summary>
    public static readonly TimeSpan ProviderDefaultTimeToLive = TimeSpan.FromSeconds(1200);

    /// <summary>Initializes the options with iP1's defaults.</summary>
    public Ip1Options()
        : base(DefaultBaseAddress)
    {
    }

    /// <summary>Gets or sets the iP1 account id (HTTP Basic user), e.g. <c>ip1-12345</c>. Required.</summary>
    public string? AccountId { get; set; }

    /// <summary>Gets or sets the iP1 API key (HTTP Basic password). Required. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the default sender (<c>From</c>): a name of up to 11 letters and digits or a phone number. Defaults to <see langword="null"/> (not sent).</summary>
    public string? Sender { get; set; }

    /// <summary>Gets or sets the default message with <c>{code}</c> (sent as <c>MessageFormat</c> with <c>{0}</c>). Defaults to <see langword="null"/> (not sent).</summary>
    public string? MessageTemplate { get; set; }

    /// <summary>Gets or sets the default code length (<c>Length</c>), 3..25. Defaults to <see langword="null"/> (not sent).</summary>
    public int? CodeLength { get; set; }

    /// <summary>Gets or sets the default time to live (<c>ExpirationTime</c>), whole seconds, 1 s..24 h. Defaults to <see langword="null"/> (not sent).</summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>Gets or sets whether codes are digits only (<c>NumericOnly</c>). Defaults to <see langword="null"/> (not sent: iP1 uses letters and digits).</summary>
    public bool? NumericOnly { get; set; }

    /// <inheritdoc />
    protected override string SectionName => "Ip1";

    /// <inheritdoc />
    protected override void ValidateProvider(ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(AccountId))
        {
            errors.Add("Ip1.AccountId is required.");
        }
        else if (AccountId.Contains(':', StringComparison.Ordinal))
        {
            errors.Add("Ip1.AccountId must not contain ':' (it is the HTTP Basic user name).");
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            errors.Add("Ip1.ApiKey is required.");
        }

        if (MessageTemplate is not null && !OtpClients.MessageTemplate.TryParse(MessageTemplate, out _, out var templateError))
        {
            errors.Add($"Ip1.MessageTemplate: {templateError}");
        }
        else if (MessageTemplate is not null && Ip1MessageTemplateExtensions.CheckOneLine(MessageTemplate) is { } lineError)
        {
            errors.Add($"Ip1.MessageTemplate: {lineError}");
        }

        if (Sender is not null && Senders.Check(Sender, OtpProviderNames.Ip1, out _, out _) is { } senderError)
        {
            errors.Add($"Ip1.{senderError.Message}");
        }

        if (CodeLength is < Ip1OtpClient.MinCodeLength or > Ip1OtpClient.MaxCodeLength)
        {
            errors.Add("Ip1.CodeLength must be between 3 and 25.");
        }

        if (TimeToLive is { } ttl && (ttl < TimeSpan.FromSeconds(1) || ttl > TimeSpan.FromSeconds(86400) || ttl.Ticks % TimeSpan.TicksPerSecond != 0))
        {
            errors.Add("Ip1.TimeToLive must be whole seconds between 1 and 86400.");
        }
    }
}
