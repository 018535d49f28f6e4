using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OtpClients;
using OtpClients.NinetyNineDigital;
using OtpClients.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds 99digital to an OTP client: <c>services.AddOtpClient(otp =&gt; otp.UseNinetyNineDigital(…))</c>, or <c>Provider: NinetyNineDigital</c> in configuration.</summary>
public static class NinetyNineDigitalOtpClientBuilderExtensions
{
    /// <summary>
    /// Gets 99digital's descriptor: name <c>99digital</c> (<see cref="OtpProviderNames.NinetyNineDigital"/>), configuration section <c>NinetyNineDigital</c>, and its
    /// native code placeholder, which message templates refuse (write <c>{code}</c>); it checks by number.
    /// </summary>
    public static OtpProviderDescriptor Descriptor { get; } = new(OtpProviderNames.NinetyNineDigital, "NinetyNineDigital", static (otp, section) => otp.UseNinetyNineDigital(section))
    {
        RefusesOtherChannels = true, // SMS only: its client refuses other channels (RequestChecks.SmsOnly)
        NativePlaceholders = [NinetyNineDigitalMessageTemplateExtensions.NativePlaceholder],
        RecordsTelemetry = true,
        ChecksByPhoneNumber = true, // its check takes the number and the code; the challenge id is not sent
    };

    /// <summary>Configures 99digital.</summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configure">Sets the options: at least <see cref="NinetyNineDigitalOptions.ApiKey"/> and <see cref="NinetyNineDigitalOptions.Sender"/>.</param>
    /// <returns>The builder of 99digital's <see cref="HttpClient"/>, to add handlers or configure it.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">99digital is already configured for this OTP client.</exception>
    public static IHttpClientBuilder UseNinetyNineDigital(this OtpClientBuilder builder, Action<NinetyNineDigitalOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddProvider<NinetyNineDigitalOptions, NinetyNineDigitalOtpClient>(Descriptor, o => o.Configure(configure), Create);
    }

    /// <summary>Configures 99digital from a configuration section (the shape of <see cref="NinetyNineDigitalOptions"/>).</summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configuration">The section, e.g. <c>Otp:NinetyNineDigital</c>.</param>
    /// <returns>The builder of 99digital's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">99digital is already configured for this OTP client.</exception>
    public static IHttpClientBuilder UseNinetyNineDigital(this OtpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.FromSection(configuration, () => builder.AddProvider<NinetyNineDigitalOptions, NinetyNineDigitalOtpClient>(Descriptor, o => o.Bind(configuration), Create));
    }

    /// <summary>Makes 99digital known by name to configuration, failover and message templates as soon as this assembly loads.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A built-in provider registers its descriptor when the package loads, so the core names no provider.")]
    internal static void Register() => OtpProviderCatalog.Register(Descriptor);

    private static NinetyNineDigitalOtpClient Create(IServiceProvider services, HttpClient httpClient, NinetyNineDigitalOptions options) =>
        new(httpClient, options, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<NinetyNineDigitalOtpClient>>());
}
