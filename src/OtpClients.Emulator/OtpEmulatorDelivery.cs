using System.Collections.Concurrent;

namespace OtpClients.Emulator;

/// <summary>What happens to the messages a provider accepts: the SMS reaches the phone, never does, or arrives late.</summary>
public enum OtpEmulatorDeliveryMode
{
    /// <summary>The message reaches the phone at once. The default.</summary>
    Deliver,

    /// <summary>The provider answers "sent" but the message never reaches the phone: the silent failure of a dead route.</summary>
    Drop,

    /// <summary>The message reaches the phone after <see cref="OtpEmulatorDeliveryRule.Delay"/>.</summary>
    Delay,
}

/// <summary>How a provider's messages are delivered.</summary>
/// <param name="Mode">Deliver, drop or delay.</param>
/// <param name="Delay">How late a message arrives, with <see cref="OtpEmulatorDeliveryMode.Delay"/>.</param>
public sealed record OtpEmulatorDeliveryRule(OtpEmulatorDeliveryMode Mode, TimeSpan Delay = default)
{
    /// <summary>Gets the rule that delivers at once.</summary>
    public static OtpEmulatorDeliveryRule Immediate { get; } = new(OtpEmulatorDeliveryMode.Deliver);
}

/// <summary>
/// The delivery of each provider's messages, to rehearse a provider that says "sent" and delivers nothing (or late): set
/// in process, over <c>POST /_emulator/delivery</c>, or on the inbox page. The provider still answers as usual; only the
/// phone's side changes, as <see cref="OtpEmulatorMessage.DeliveredAt"/> shows (a dropped message shows as dropped in the inbox).
/// </summary>
public sealed class OtpEmulatorDelivery
{
    private readonly ConcurrentDictionary<string, OtpEmulatorDeliveryRule> rules = new(StringComparer.OrdinalIgnoreCase);
    private readonly Action changed;

    internal OtpEmulatorDelivery(Action changed) => this.changed = changed;

    /// <summary>Gets the rules that are not <see cref="OtpEmulatorDeliveryRule.Immediate"/>, by provider name.</summary>
    public IReadOnlyDictionary<string, OtpEmulatorDeliveryRule> Rules => rules.ToDictionary(r => r.Key, r => r.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the rule of a provider.</summary>
    /// <param name="provider">The provider's name (<c>AMM</c>, <c>iP1</c>, <c>99digital</c>; case-insensitive).</param>
    /// <returns>Its rule; <see cref="OtpEmulatorDeliveryRule.Immediate"/> unless set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is <see langword="null"/>.</exception>
    public OtpEmulatorDeliveryRule Of(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return rules.TryGetValue(provider, out var rule) ? rule : OtpEmulatorDeliveryRule.Immediate;
    }

    /// <summary>Delivers a provider's next messages at once (the default).</summary>
    /// <param name="provider">The provider's name.</param>
    public void Deliver(string provider) => Set(provider, OtpEmulatorDeliveryRule.Immediate);

    /// <summary>Drops a provider's next messages silently: it still answers "sent".</summary>
    /// <param name="provider">The provider's name.</param>
    public void Drop(string provider) => Set(provider, new OtpEmulatorDeliveryRule(OtpEmulatorDeliveryMode.Drop));

    /// <summary>Delivers a provider's next messages late.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="delay">How late: more than zero, at most one day.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is out of range.</exception>
    public void Delay(string provider, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero || delay > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "The delay must be more than zero and at most one day.");
        }

        Set(provider, new OtpEmulatorDeliveryRule(OtpEmulatorDeliveryMode.Delay, delay));
    }

    /// <summary>Sets a provider's rule.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="rule">The rule.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="provider"/> is empty, or a delay rule has no delay.</exception>
    public void Set(string provider, OtpEmulatorDeliveryRule rule)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Mode == OtpEmulatorDeliveryMode.Delay && (rule.Delay <= TimeSpan.Zero || rule.Delay > TimeSpan.FromDays(1)))
        {
            throw new ArgumentException("A delay rule needs a delay of more than zero and at most one day.", nameof(rule));
        }

        if (!Enum.IsDefined(rule.Mode))
        {
            throw new ArgumentException($"Unknown delivery mode {rule.Mode}.", nameof(rule));
        }

        if (rule.Mode == OtpEmulatorDeliveryMode.Deliver)
        {
            rules.TryRemove(provider, out _);
        }
        else
        {
            rules[provider] = rule;
        }

        changed();
    }

    /// <summary>Delivers every provider's messages at once again.</summary>
    public void Reset()
    {
        rules.Clear();
        changed();
    }

    /// <summary>Stamps a message with its provider's delivery.</summary>
    /// <summary>Gets the rule of a provider's channel: the channel's own rule (set with <see cref="Set(string, OtpChannel, OtpEmulatorDeliveryRule)"/>), else the provider's.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="channel">The channel.</param>
    /// <returns>The rule in force.</returns>
    public OtpEmulatorDeliveryRule Of(string provider, OtpChannel channel)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return rules.TryGetValue(Key(provider, channel), out var rule) ? rule : Of(provider);
    }

    /// <summary>Sets how one channel of a provider reaches the phone (a call dropped while its texts arrive, say); the provider's own rule covers its other channels.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="rule">The rule; <see cref="OtpEmulatorDeliveryRule.Immediate"/> removes the channel's own rule.</param>
    public void Set(string provider, OtpChannel channel, OtpEmulatorDeliveryRule rule)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Set(Key(provider, channel), rule);
    }

    /// <summary>Drops one channel of a provider silently (see <see cref="Set(string, OtpChannel, OtpEmulatorDeliveryRule)"/>).</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="channel">The channel.</param>
    public void Drop(string provider, OtpChannel channel) => Set(provider, channel, new OtpEmulatorDeliveryRule(OtpEmulatorDeliveryMode.Drop));

    /// <summary>Delivers one channel of a provider at once again.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="channel">The channel.</param>
    public void Deliver(string provider, OtpChannel channel) => Set(provider, channel, OtpEmulatorDeliveryRule.Immediate);

    /// <summary>The key of a channel's rule in <see cref="Rules"/>: <c>Twilio/voice</c>.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="channel">The channel.</param>
    /// <returns>The key.</returns>
    public static string Key(string provider, OtpChannel channel) => provider + "/" + channel switch
    {
        OtpChannel.Voice => "voice",
        OtpChannel.WhatsApp => "whatsapp",
        _ => "sms",
    };

    internal OtpEmulatorMessage Apply(OtpEmulatorMessage message)
    {
        var rule = Of(message.Provider, message.Channel);
        return rule.Mode switch
        {
            OtpEmulatorDeliveryMode.Drop => message with { Delivery = OtpEmulatorDeliveryMode.Drop, DeliveredAt = null },
            OtpEmulatorDeliveryMode.Delay => message with { Delivery = OtpEmulatorDeliveryMode.Delay, DeliveredAt = message.SentAt + rule.Delay },
            _ => message,
        };
    }
}
