using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OtpClients;
using OtpClients.Ip1;
using OtpClients.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds iP1 to an OTP client: <c>services.AddOtpClient(otp =&gt; otp.UseIp1(…))</c>, or <c>Provider: Ip1</c> in configuration.</summary>
public static class Ip1OtpClientBuilderExtensions
{
    /// <summary>
    /// Gets iP1's descriptor: name <c>iP1</c> (<see cref="OtpProviderNames.Ip1"/>), configuration section <c>Ip1</c>, and its
    /// native code placeholder, which message templates refuse (write <c>{code}</c>).
    /// </summary>
    public static OtpProviderDescriptor Descriptor { get; } = new(OtpProviderNames.Ip1, "Ip1", static (otp, section) => otp.UseIp1(section))
    {
        RefusesOtherChannels = true, // SMS only: its client refuses other channels (RequestChecks.SmsOnly)
        NativePlaceholders = [Ip1MessageTemplateExtensions.NativePlaceholder],
        RecordsTelemetry = true,
    };

    /// <summary>Configures iP1.</summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configure">Sets the options: at least <see cref="Ip1Options.AccountId"/> and <see cref="Ip1Options.ApiKey"/>.</param>
    /// <returns>The builder of iP1's <see cref="HttpClient"/>, to add handlers or configure it.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">iP1 is already configured for this OTP client.</exception>
    public static IHttpClientBuilder UseIp1(this OtpClientBuilder builder, Action<Ip1Options> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddProvider<Ip1Options, Ip1OtpClient>(Descriptor, o => o.Configure(configure), Create);
    }

    /// <summary>Configures iP1 from a configuration section (the shape of <see cref="Ip1Options"/>).</summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configuration">The section, e.g. <c>Otp:Ip1</c>.</param>
    /// <returns>The builder of iP1's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">iP1 is already configured for this OTP client.</exception>
    public static IHttpClientBuilder UseIp1(this OtpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.FromSection(configuration, () => builder.AddProvider<Ip1Options, Ip1OtpClient>(Descriptor, o => o.Bind(configuration), Create));
    }

    /// <summary>Makes iP1 known by name to configuration, failover and message templates as soon as this assembly loads.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A built-in provider registers its descriptor when the package loads, so the core names no provider.")]
    internal static void Register() => OtpProviderCatalog.Register(Descriptor);

    private static Ip1OtpClient Create(IServiceProvider services, HttpClient httpClient, Ip1Options options) =>
        new(httpClient, options, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<Ip1OtpClient>>());
}
