using System.Text.RegularExpressions;

namespace OtpClients.Twilio;

/// <summary>
/// Settings of the Twilio Verify client (<c>otp.UseTwilioVerify(o =&gt; …)</c>, or the <c>Twilio</c> section of the OTP
/// configuration): the account and its credentials, the Verify service, and the shared settings of every provider.
/// Validated at start, with messages that name the setting.
/// </summary>
/// <remarks>
/// Twilio authenticates with HTTP Basic: the Account SID and its Auth Token, or an API key SID (<c>SK…</c>) and its
/// secret. The message text, the code length and the code's lifetime are settings of the Verify service in Twilio's
/// console, not of each request: a send that asks for them is refused with <see cref="OtpErrorCode.NotSupported"/>.
/// </remarks>
public sealed partial class TwilioVerifyOptions : OtpProviderOptions
{
    /// <summary>Twilio Verify's public origin.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://verify.twilio.com/");

    /// <summary>The channels Twilio Verify sends codes through that this client accepts.</summary>
    public static readonly IReadOnlyList<string> Channels = ["sms", "call", "whatsapp"];

    /// <summary>Initializes a new instance of the <see cref="TwilioVerifyOptions"/> class with Twilio's defaults.</summary>
    public TwilioVerifyOptions()
        : base(DefaultBaseAddress)
    {
    }

    /// <summary>Gets or sets the Account SID (<c>AC</c> and 32 hexadecimal digits). Required.</summary>
    public string? AccountSid { get; set; }

    /// <summary>Gets or sets the account's Auth Token. Required unless <see cref="ApiKeySid"/> and <see cref="ApiKeySecret"/> are set. A secret.</summary>
    public string? AuthToken { get; set; }

    /// <summary>Gets or sets an API key SID (<c>SK</c> and 32 hexadecimal digits), used with <see cref="ApiKeySecret"/> instead of the Auth Token. Defaults to none.</summary>
    public string? ApiKeySid { get; set; }

    /// <summary>Gets or sets the API key's secret. A secret. Defaults to none.</summary>
    public string? ApiKeySecret { get; set; }

    /// <summary>Gets or sets the Verify service SID (<c>VA</c> and 32 hexadecimal digits), in every request's path. Required.</summary>
    public string? ServiceSid { get; set; }

    /// <summary>Gets or sets the channel of requests that ask for SMS (<see cref="OtpClients.OtpChannel.Sms"/>, the default of <c>OtpSendRequest.Channel</c>): <c>sms</c>, <c>call</c> or <c>whatsapp</c>. A request for <see cref="OtpClients.OtpChannel.Voice"/> or <see cref="OtpClients.OtpChannel.WhatsApp"/> is sent as <c>call</c> or <c>whatsapp</c> whatever this says. Defaults to <c>sms</c>.</summary>
    public string Channel { get; set; } = "sms";

    /// <summary>Gets or sets the language of the message (<c>Locale</c>, such as <c>en</c>, <c>it</c>, <c>pt-BR</c>). Defaults to none: Twilio picks it from the number.</summary>
    public string? Locale { get; set; }

    /// <summary>
    /// Gets or sets the 11-character hash of the Android app (<c>AppHash</c>), which Twilio puts in its text for the SMS
    /// Retriever API. With <c>otp.UseMessages</c>, set it to the same value as <c>Messages:AndroidAppHash</c> (Twilio writes
    /// its own text, so the SDK cannot add the line). Defaults to none.
    /// </summary>
    public string? AppHash { get; set; }

    /// <inheritdoc />
    protected override string SectionName => "Twilio";

    /// <inheritdoc />
    protected override void ValidateProvider(ICollection<string> errors)
    {
        if (AccountSid is null || !Sid().IsMatch(AccountSid) || !AccountSid.StartsWith("AC", StringComparison.Ordinal))
        {
            errors.Add("Twilio.AccountSid is required: AC followed by 32 hexadecimal digits.");
        }

        if (ServiceSid is null || !Sid().IsMatch(ServiceSid) || !ServiceSid.StartsWith("VA", StringComparison.Ordinal))
        {
            errors.Add("Twilio.ServiceSid is required: the Verify service's SID, VA followed by 32 hexadecimal digits.");
        }

        var key = !string.IsNullOrEmpty(ApiKeySid) || !string.IsNullOrEmpty(ApiKeySecret);
        if (key)
        {
            if (ApiKeySid is null || !Sid().IsMatch(ApiKeySid) || !ApiKeySid.StartsWith("SK", StringComparison.Ordinal))
            {
                errors.Add("Twilio.ApiKeySid must be an API key SID: SK followed by 32 hexadecimal digits (with Twilio.ApiKeySecret).");
            }

            if (string.IsNullOrWhiteSpace(ApiKeySecret))
            {
                errors.Add("Twilio.ApiKeySecret is required with Twilio.ApiKeySid.");
            }

            if (!string.IsNullOrEmpty(AuthToken))
            {
                errors.Add("Twilio.AuthToken and Twilio.ApiKeySid are both set: use one of the two credentials.");
            }
        }
        else if (string.IsNullOrWhiteSpace(AuthToken))
        {
            errors.Add("Twilio.AuthToken is required (or Twilio.ApiKeySid with Twilio.ApiKeySecret).");
        }

        if (!Channels.Contains(Channel, StringComparer.Ordinal))
        {
            errors.Add($"Twilio.Channel must be one of {string.Join(", ", Channels)}.");
        }

        if (AppHash is not null && !AppHashPattern().IsMatch(AppHash))
        {
            errors.Add("Twilio.AppHash must be the 11-character hash of the Android app (letters, digits, + and /).");
        }

        if (Locale is not null && !LocalePattern().IsMatch(Locale))
        {
            errors.Add("Twilio.Locale must be a language tag such as en, it or pt-BR.");
        }
    }

    /// <summary>The Basic credentials: the user and the password.</summary>
    internal (string User, string Password) Credentials() =>
        string.IsNullOrEmpty(ApiKeySid) ? (AccountSid!, AuthToken!) : (ApiKeySid!, ApiKeySecret!);

    [GeneratedRegex("^[A-Z]{2}[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sid();

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z]{2,4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();

    [GeneratedRegex("^[A-Za-z0-9+/]{11}$", RegexOptions.CultureInvariant)]
    private static partial Regex AppHashPattern();
}
