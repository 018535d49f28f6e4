namespace OtpClients.Messages;

/// <summary>
/// The message of a registration (<c>otp.UseMessages(o =&gt; …)</c>, or the <c>Messages</c> section of the OTP
/// configuration): templates by culture, the segment limit, smart encoding and the autofill lines. Validated at start:
/// every template is measured as it will be sent, by every provider of the registration.
/// </summary>
/// <remarks>
/// The template of a send is, in order: the request's <see cref="OtpSendRequest.MessageTemplate"/>, the template of its
/// culture (<see cref="OtpSendRequest.Culture"/>, else <see cref="System.Globalization.CultureInfo.CurrentUICulture"/>,
/// walking up parent cultures: <c>he-IL</c>, <c>he</c>, then <c>default</c>), the provider's own <c>MessageTemplate</c>,
/// then the provider's default text. <c>docs/messages.md</c> has the segment rules and what autofill needs.
/// </remarks>
public sealed class OtpMessageOptions
{
    /// <summary>The key of the template for every culture without one of its own.</summary>
    public const string DefaultCulture = "default";

    /// <summary>
    /// Gets the templates, with <c>{code}</c>, by culture name (<c>he</c>, <c>he-IL</c>, <c>it</c>) or <c>default</c>.
    /// Names are matched without regard to case. A provider that writes its own text (Twilio Verify) ignores them and
    /// gets the culture as its locale instead.
    /// </summary>
    public IDictionary<string, string> Templates { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the most SMS segments a message may take, measured on the final text (the longest code the provider
    /// sends, smart encoding and autofill lines included). A template over it is a start error; a request's own template
    /// over it is refused with <see cref="OtpErrorCode.InvalidMessage"/> before any HTTP call. Defaults to 1. From 1 to 10.
    /// </summary>
    public int MaxSegments { get; set; } = 1;

    /// <summary>
    /// Gets or sets a value indicating whether look-alike characters (curly quotes, dashes, the ellipsis, non-breaking and
    /// zero-width spaces) are replaced by GSM-7 ones, when that makes the whole text GSM-7 (160 characters a segment
    /// instead of 70). A text that needs UCS-2 anyway goes as written. Defaults to <see langword="true"/>.
    /// </summary>
    public bool SmartEncoding { get; set; } = true;

    /// <summary>
    /// Gets or sets the domain of the origin-bound last line <c>@{domain} #{code}</c> (the WICG origin-bound one-time codes
    /// format), which Safari on iOS and macOS and Chrome's WebOTP read to fill the code in on that site. A host name such
    /// as <c>example.com</c>, without scheme, port or path. A provider whose messages are one line (iP1) cannot carry it:
    /// a start error. Defaults to <see langword="null"/> (no line).
    /// </summary>
    public string? OriginBoundDomain { get; set; }

    /// <summary>
    /// Gets or sets the 11-character hash of the Android app (SMS Retriever API), put on its own line before the
    /// origin-bound line (which must stay last), or last without one. A provider that writes its own text gets it as
    /// its app hash (Twilio's <c>AppHash</c>). Defaults to <see langword="null"/>.
    /// </summary>
    public string? AndroidAppHash { get; set; }
}
