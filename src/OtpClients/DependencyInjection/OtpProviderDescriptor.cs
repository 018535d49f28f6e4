using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Describes an OTP provider to <c>AddOtpClient</c>: its name, the names and configuration section under which
/// configuration and failover find it, and how it configures itself from that section. The built-in providers have
/// one each; a provider from another assembly creates its own and plugs in through
/// <see cref="OtpClientBuilder.AddProvider{TOptions, TClient}"/> (in code) and
/// <see cref="OtpClientServiceCollectionExtensions.AddOtpProvider"/> (for configuration).
/// </summary>
/// <example>
/// <code>
/// public static readonly OtpProviderDescriptor Descriptor = new("SmsFoo", "SmsFoo", static (otp, section) =&gt; otp.UseSmsFoo(section))
/// {
///     Aliases = ["smsfoo.example"],
/// };
/// </code>
/// </example>
public sealed class OtpProviderDescriptor
{
    private readonly Func<OtpClientBuilder, IConfiguration, IHttpClientBuilder> configureFromSection;

    /// <summary>Creates a descriptor.</summary>
    /// <param name="name">
    /// The provider name: the value of <c>IOtpClient.ProviderName</c> and <c>OtpChallenge.ProviderName</c>, the telemetry
    /// tag, and a name <c>Provider</c>, <c>Failover</c> and <c>UseFailover</c> accept.
    /// </param>
    /// <param name="configurationSectionName">The sub-section of the <c>AddOtpClient</c> section that holds the provider's options (e.g. <c>"SmsFoo"</c> for <c>Otp:SmsFoo</c>); also accepted as a name.</param>
    /// <param name="configureFromSection">Configures the provider from its section: typically the provider's own <c>UseXxx(IConfiguration)</c> extension method.</param>
    /// <exception cref="ArgumentException">A name is null or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="configureFromSection"/> is <see langword="null"/>.</exception>
    public OtpProviderDescriptor(string name, string configurationSectionName, Func<OtpClientBuilder, IConfiguration, IHttpClientBuilder> configureFromSection)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationSectionName);
        ArgumentNullException.ThrowIfNull(configureFromSection);
        Name = name;
        ConfigurationSectionName = configurationSectionName;
        this.configureFromSection = configureFromSection;
    }

    /// <summary>Gets the provider name (<c>IOtpClient.ProviderName</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the name of the provider's configuration sub-section.</summary>
    public string ConfigurationSectionName { get; }

    /// <summary>Gets the other names accepted for the provider in <c>Provider</c>, <c>Failover</c> and <c>UseFailover</c>. Defaults to none.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>
    /// Gets the provider's own placeholder syntax for the code (e.g. <c>##code##</c>). A message template that contains one is
    /// refused with a message saying to write <c>{code}</c>, whichever provider it is sent to. Defaults to none.
    /// </summary>
    public IReadOnlyList<string> NativePlaceholders { get; init; } = [];

    /// <summary>
    /// Gets a value indicating whether the provider's client records the SDK's telemetry itself (activities
    /// <c>otp.send</c>/<c>otp.verify</c>, the <c>otp.sends</c>/<c>otp.verifications</c>/<c>otp.duration</c> metrics of the
    /// <c>OtpClients</c> meter, one Information log line per operation, phone masked). Defaults to <see langword="false"/>:
    /// <c>AddOtpClient</c> then records it around the provider's <c>IOtpClient</c>, so a provider from another assembly
    /// is observed like the built-in ones without code of its own.
    /// </summary>
    public bool RecordsTelemetry { get; init; }

    /// <summary>
    /// Gets a value indicating whether the provider checks a code by the challenge's phone number and ignores its id
    /// (99digital). The send guard then counts verify attempts per number, so a rewritten challenge id gets no fresh
    /// attempts. Defaults to <see langword="false"/>: attempts count per challenge id, in a canonical form (trimmed, case
    /// and a number's leading zeros ignored).
    /// </summary>
    public bool ChecksByPhoneNumber { get; init; }

    /// <summary>
    /// Gets the channels the provider offers. A send for another channel is <see cref="OtpClients.OtpErrorCode.NotSupported"/>
    /// before any HTTP call, so a route skips the provider. Defaults to SMS only.
    /// </summary>
    public IReadOnlyList<OtpClients.OtpChannel> Channels { get; init; } = [OtpClients.OtpChannel.Sms];

    /// <summary>
    /// Gets a value indicating whether the provider's client itself refuses, with
    /// <see cref="OtpClients.OtpErrorCode.NotSupported"/> and no HTTP call, a send for a channel it does not offer. When it
    /// does not (the default), the SDK puts a check in front of it, and a registration of it alone then resolves
    /// <see cref="OtpClients.IOtpClient"/> as that check rather than as the provider's own client type.
    /// </summary>
    public bool RefusesOtherChannels { get; init; }

    /// <summary>Tells whether a name (case-insensitive, trimmed) designates this provider: its name, its section name or an alias.</summary>
    /// <param name="name">A name from code or configuration.</param>
    /// <returns><see langword="true"/> when it designates this provider.</returns>
    public bool Matches(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        if (string.Equals(trimmed, Name, StringComparison.OrdinalIgnoreCase) || string.Equals(trimmed, ConfigurationSectionName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var alias in Aliases)
        {
            if (string.Equals(trimmed, alias, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns <see cref="Name"/>.</summary>
    /// <returns>The provider name.</returns>
    public override string ToString() => Name;

    /// <summary>Configures the provider on <paramref name="builder"/> from its section of <paramref name="otpSection"/>.</summary>
    internal IHttpClientBuilder ConfigureFrom(OtpClientBuilder builder, IConfiguration otpSection)
    {
        var section = otpSection.GetSection(ConfigurationSectionName);
        return builder.FromSection(section, () => configureFromSection(builder, section));
    }
}
