using System.Globalization;
using System.Text;

namespace OtpClients;

/// <summary>A request to send a one-time password by SMS.</summary>
/// <param name="PhoneNumber">
/// The recipient in international form: E.164 (<c>+393481234567</c>), or with a <c>00</c> prefix; spaces,
/// dashes, dots and parentheses are accepted (see <see cref="OtpClients.PhoneNumber.Parse(string)"/>).
/// </param>
/// <remarks>
/// Every optional setting left <see langword="null"/> takes the provider options' default, then the provider's
/// own default. A setting the provider cannot honour is never dropped silently: the send fails with
/// <see cref="OtpErrorCode.NotSupported"/> or <see cref="OtpErrorCode.InvalidRequest"/> naming it, before any
/// HTTP call. <see cref="ToString"/> masks the phone number.
/// </remarks>
public sealed record OtpSendRequest(string PhoneNumber)
{
    /// <summary>
    /// Gets the sender shown to the recipient (the provider's sender field): an
    /// alphanumeric name of at most 11 characters or an approved phone number.
    /// </summary>
    public string? Sender { get; init; }

    /// <summary>
    /// Gets the message text, with the neutral placeholder <c>{code}</c> where the code goes
    /// (for example <c>"Your Contoso code is {code}"</c>). See <see cref="OtpClients.MessageTemplate"/>.
    /// </summary>
    public string? MessageTemplate { get; init; }

    /// <summary>Gets the number of characters of the code, within the provider's limits (each provider's client documents them; a provider with a fixed length refuses any value with <see cref="OtpErrorCode.NotSupported"/>).</summary>
    public int? CodeLength { get; init; }

    /// <summary>Gets how long the code stays valid, within the provider's limits (each provider's client documents them; a provider with a fixed time to live refuses any value with <see cref="OtpErrorCode.NotSupported"/>).</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>
    /// Gets the end user's IP address, for the send guard's budget per client IP and its cap on distinct regions per IP
    /// (see <c>otp.UseSendGuard</c>). It is not sent to any provider. IPv4 in dotted decimal or IPv6; a malformed value
    /// fails with <see cref="OtpErrorCode.InvalidRequest"/> before any HTTP call when the guard is on.
    /// <see cref="ToString"/> masks it.
    /// </summary>
    public string? ClientIpAddress { get; init; }

    /// <summary>
    /// Gets the user's language, which picks the message template of <c>otp.UseMessages</c> (<c>Otp:Messages:Templates</c>,
    /// walking up parent cultures: <c>he-IL</c>, then <c>he</c>, then <c>default</c>) and, for a provider that writes its
    /// own text (Twilio Verify), its locale. <see langword="null"/>: <see cref="CultureInfo.CurrentUICulture"/>.
    /// </summary>
    public CultureInfo? Culture { get; init; }

    /// <summary>
    /// Gets the channel the code goes through: <see cref="OtpChannel.Sms"/> (the default), <see cref="OtpChannel.Voice"/>
    /// or <see cref="OtpChannel.WhatsApp"/>. A route sends it only through providers that offer the channel; none:
    /// <see cref="OtpErrorCode.NotSupported"/> before any HTTP call. A provider whose registration picks its own default
    /// channel (Twilio's <c>Channel</c> setting) uses that default for <see cref="OtpChannel.Sms"/> requests.
    /// </summary>
    public OtpChannel Channel { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("PhoneNumber = ").Append(OtpClients.PhoneNumber.Mask(PhoneNumber));
        builder.Append(", Sender = ").Append(Sender);
        builder.Append(", MessageTemplate = ").Append(MessageTemplate);
        builder.Append(", CodeLength = ").Append(CodeLength);
        builder.Append(", TimeToLive = ").Append(TimeToLive);
        builder.Append(", ClientIpAddress = ").Append(RequestChecks.MaskIp(ClientIpAddress));
        builder.Append(", Culture = ").Append(Culture?.Name);
        builder.Append(", Channel = ").Append(Channel);
        return true;
    }
}
