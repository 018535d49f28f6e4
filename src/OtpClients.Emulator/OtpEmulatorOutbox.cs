using System.Collections.Concurrent;

namespace OtpClients.Emulator;

/// <summary>A text message the emulator "sent".</summary>
/// <param name="Provider">The provider that sent it: <c>"AMM"</c>, <c>"iP1"</c> or <c>"99digital"</c>.</param>
/// <param name="Id">The provider's id of the code: AMM <c>verify_id</c>, iP1 <c>ID</c>, 99digital <c>unique</c>.</param>
/// <param name="PhoneNumber">The recipient in E.164 form (<c>+393481234567</c>), whatever form the provider takes.</param>
/// <param name="Sender">The sender, when one was given.</param>
/// <param name="Text">The text as the recipient reads it, code included.</param>
/// <param name="Code">The code.</param>
/// <param name="SentAt">When it was sent, by the emulator's clock.</param>
public sealed record OtpEmulatorMessage(string Provider, string Id, string PhoneNumber, string? Sender, string Text, string Code, DateTimeOffset SentAt)
{
    /// <summary>Gets the channel it went through: a text message (the default), a voice call (<see cref="Text"/> is what the call says), or WhatsApp.</summary>
    public OtpChannel Channel { get; init; }

    /// <summary>Gets the encoding the text takes on the air: GSM-7, or UCS-2 when one character is outside it (<see cref="OtpClients.Messages.SmsSegments"/>).</summary>
    public OtpClients.Messages.SmsEncoding Encoding => OtpClients.Messages.SmsSegments.Measure(Text).Encoding;

    /// <summary>Gets the number of SMS segments the text takes (what an operator would bill).</summary>
    public int Segments => OtpClients.Messages.SmsSegments.Measure(Text).Segments;

    /// <summary>Gets a value indicating whether it was an AMM sandbox send (no SMS would have left AMM).</summary>
    public bool Sandbox { get; init; }

    /// <summary>Gets how it was delivered (<see cref="OtpEmulator.Delivery"/> when it was sent). Defaults to <see cref="OtpEmulatorDeliveryMode.Deliver"/>.</summary>
    public OtpEmulatorDeliveryMode Delivery { get; init; }

    /// <summary>Gets when it reaches the phone, by the emulator's clock; <see langword="null"/> when it was dropped. Defaults to <see cref="SentAt"/>.</summary>
    public DateTimeOffset? DeliveredAt { get; init; } = SentAt;

    /// <summary>Tells whether the phone has it at <paramref name="now"/>.</summary>
    /// <param name="now">The instant, by the emulator's clock (<see cref="OtpEmulator.TimeProvider"/>).</param>
    /// <returns><see langword="true"/> when it was delivered by then.</returns>
    public bool IsDeliveredBy(DateTimeOffset now) => DeliveredAt is { } at && at <= now;
}

/// <summary>The messages the emulator sent, in order; readable in process and over <c>GET /_emulator/messages</c>.</summary>
public sealed class OtpEmulatorOutbox
{
    private readonly ConcurrentQueue<OtpEmulatorMessage> messages = new();
    private readonly TimeProvider timeProvider;

    internal OtpEmulatorOutbox(TimeProvider timeProvider) => this.timeProvider = timeProvider;

    /// <summary>Gets every message sent so far, oldest first.</summary>
    public IReadOnlyList<OtpEmulatorMessage> Messages => messages.ToArray();

    /// <summary>Gets the last message sent to a phone number.</summary>
    /// <param name="phoneNumber">The number in any form <see cref="OtpClients.PhoneNumber"/> parses (<c>+39 348 123 4567</c>).</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public OtpEmulatorMessage? LastFor(string phoneNumber)
    {
        var e164 = OtpClients.PhoneNumber.TryParse(phoneNumber, out var parsed) ? parsed.E164 : phoneNumber;
        return messages.LastOrDefault(m => m.PhoneNumber == e164);
    }

    /// <summary>Gets the last message that has reached a phone by now (by the emulator's clock): what its user can read. Dropped messages never do; delayed ones once their delay is over.</summary>
    /// <param name="phoneNumber">The number in any form <see cref="OtpClients.PhoneNumber"/> parses.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public OtpEmulatorMessage? LastDeliveredFor(string phoneNumber)
    {
        var e164 = OtpClients.PhoneNumber.TryParse(phoneNumber, out var parsed) ? parsed.E164 : phoneNumber;
        var now = timeProvider.GetUtcNow();
        return messages.Where(m => m.PhoneNumber == e164 && m.IsDeliveredBy(now)).MaxBy(m => m.DeliveredAt);
    }

    /// <summary>Gets the code of the last message sent to a phone number.</summary>
    /// <param name="phoneNumber">The number in any form <see cref="OtpClients.PhoneNumber"/> parses.</param>
    /// <returns>The code, or <see langword="null"/>.</returns>
    public string? LastCodeFor(string phoneNumber) => LastFor(phoneNumber)?.Code;

    /// <summary>Forgets every message.</summary>
    public void Clear() => messages.Clear();

    internal void Add(OtpEmulatorMessage message) => messages.Enqueue(message);
}
