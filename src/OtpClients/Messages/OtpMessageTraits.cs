namespace OtpClients.Messages;

/// <summary>
/// What a provider does with the message text, for <c>otp.UseMessages</c>: whether it takes the text at all, whether it
/// can carry more than one line, and the code it puts in. A provider's <see cref="IOtpClient"/> tells it by implementing
/// <see cref="IOtpMessageSender"/>; a provider that does not is treated as taking any text, with codes of up to
/// <see cref="DefaultCodeLength"/> characters.
/// </summary>
public sealed record OtpMessageTraits
{
    /// <summary>Gets traits of a provider that takes any text and sends codes of up to 8 characters.</summary>
    public static OtpMessageTraits Unknown { get; } = new();

    /// <summary>Gets a value indicating whether the provider writes the text itself (Twilio Verify): the templates do not apply, the culture and app hash are passed on.</summary>
    public bool WritesItsOwnText { get; init; }

    /// <summary>Gets a value indicating whether the provider's messages are one line (iP1's <c>MessageFormat</c>): it cannot carry the origin-bound line.</summary>
    public bool SingleLine { get; init; }

    /// <summary>Gets the length of the codes it sends when a request sets none, which start-time measures use. Defaults to 8.</summary>
    public int DefaultCodeLength { get; init; } = 8;

    /// <summary>Gets the Android app hash a provider that writes its own text passes on (Twilio's <c>AppHash</c>), or <see langword="null"/>.</summary>
    public string? AppHash { get; init; }

    /// <summary>Gets the template it sends when neither the request nor the culture has one (its options' <c>MessageTemplate</c>), or <see langword="null"/> when it then sends a text of its own account the SDK cannot see.</summary>
    public string? DefaultTemplate { get; init; }
}

/// <summary>Implemented by a provider's <see cref="IOtpClient"/> to tell <c>otp.UseMessages</c> what it does with the message text.</summary>
public interface IOtpMessageSender
{
    /// <summary>Gets the provider's message traits, as its options set them.</summary>
    OtpMessageTraits MessageTraits { get; }
}
