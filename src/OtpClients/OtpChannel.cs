namespace OtpClients;

/// <summary>How a code reaches the person: a text message, a voice call, or WhatsApp.</summary>
/// <remarks>
/// A send for a channel goes only to the providers of the route that offer it (<see cref="Microsoft.Extensions.DependencyInjection.OtpProviderDescriptor.Channels"/>):
/// the others are skipped without a request, and when none offers it the send is <see cref="OtpErrorCode.NotSupported"/>
/// before any HTTP call. The built-in providers offer SMS; Twilio Verify offers all three. E-mail is not a channel here:
/// its recipient is not a phone number.
/// </remarks>
public enum OtpChannel
{
    /// <summary>A text message (SMS). The default.</summary>
    Sms,

    /// <summary>A voice call that speaks the code (Twilio's <c>call</c>): for landlines, and where SMS does not reach.</summary>
    Voice,

    /// <summary>A WhatsApp message (Twilio's <c>whatsapp</c>): where WhatsApp is what people read.</summary>
    WhatsApp,
}
