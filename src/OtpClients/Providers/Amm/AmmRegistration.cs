using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OtpClients;
using OtpClients.Amm;
using OtpClients.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds AMM to an OTP client: <c>services.AddOtpClient(otp =&gt; otp.UseAmm(…))</c>, or <c>Provider: Amm</c> in configuration.</summary>
public static class AmmOtpClientBuilderExtensions
{
    /// <summary>
    /// Gets AMM's descriptor: name <c>AMM</c> (<see cref="OtpProviderNames.Amm"/>), configuration section <c>Amm</c>, and its
    /// native code placeholder, which message templates refuse (write <c>{code}</c>).
    /// </summary>
    public static OtpProviderDescriptor Descriptor { get; } = new(OtpProviderNames.Amm, "Amm", static (otp, section) => otp.UseAmm(section))
    {
        RefusesOtherChannels = true, // SMS only: its client refuses other channels (RequestChecks.SmsOnly)
        NativePlaceholders = [AmmMessageTemplateExtensions.NativePlaceholder],
        RecordsTelemetry = true,
    };

    /// <summary>Configures AMM.</summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configure">Sets the options: at least <see cref="AmmOptions.AuthKey"/> and <see cref="AmmOptions.AuthSecret"/>.</param>
    /// <returns>The builder of AMM's <see cref="HttpClient"/>, to add handlers or configure it.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">AMM is already configured for this OTP client.</exception>
    public static IHttpClientBuilder UseAmm(this OtpClientBuilder builder, Action<AmmOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddProvider<AmmOptions, AmmOtpClient>(Descriptor, o => o.Configure(configure), Create);
    }

    /// <summary>Configures AMM from a configuration section (the shape of <see cref="AmmOptions"/>).</summary>
    /// <param name="builder">The OTP client builder.</param>
    /// <param name="configuration">The section, e.g. <c>Otp:Amm</c>.</param>
    /// <returns>The builder of AMM's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">AMM is already configured for this OTP client.</exception>
    public static IHttpClientBuilder UseAmm(this OtpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.FromSection(configuration, () => builder.AddProvider<AmmOptions, AmmOtpClient>(Descriptor, o => o.Bind(configuration), Create));
    }

    /// <summary>Makes AMM known by name to configuration, failover and message templates as soon as this assembly loads.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A built-in provider registers its descriptor when the package loads, so the core names no provider.")]
    internal static void Register() => OtpProviderCatalog.Register(Descriptor);

    private static AmmOtpClient Create(IServiceProvider services, HttpClient httpClient, AmmOptions options) =>
        new(httpClient, options, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<AmmOtpClient>>());
}
