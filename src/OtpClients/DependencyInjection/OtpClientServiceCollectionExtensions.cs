using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OtpClients;
using OtpClients.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers OTP clients (<see cref="IOtpClient"/>) with their providers, resilience and validated options.</summary>
public static class OtpClientServiceCollectionExtensions
{
    /// <summary>Registers the default <see cref="IOtpClient"/>, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the providers: <c>otp =&gt; otp.UseAmm(o =&gt; { o.AuthKey = …; o.AuthSecret = …; })</c>.</param>
    /// <returns>The builder, e.g. for <see cref="OtpClientBuilder.GetHttpClientBuilder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No provider is configured, or the default client is already registered.</exception>
    public static OtpClientBuilder AddOtpClient(this IServiceCollection services, Action<OtpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, configure);
    }

    /// <summary>Registers a keyed <see cref="IOtpClient"/> (resolve it with <c>[FromKeyedServices(name)]</c>), configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The service key, e.g. <c>"backup"</c>.</param>
    /// <param name="configure">Configures the providers.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">No provider is configured, or a client of that name is already registered.</exception>
    public static OtpClientBuilder AddOtpClient(this IServiceCollection services, string name, Action<OtpClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, name, configure);
    }

    /// <summary>
    /// Registers the default <see cref="IOtpClient"/> from configuration: <c>Provider</c> names one provider, or
    /// <c>Failover</c> lists several in order; each provider reads its sub-section (<c>Amm</c>, <c>Ip1</c>, <c>NinetyNineDigital</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("Otp")</c>; environment variables such as <c>Otp__Amm__AuthKey</c> apply as usual.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The section names no provider or an unknown one.</exception>
    public static OtpClientBuilder AddOtpClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, null, otp => otp.UseConfiguration(configuration));
    }

    /// <summary>Registers a keyed <see cref="IOtpClient"/> from configuration (the shape of <see cref="AddOtpClient(IServiceCollection, IConfiguration)"/>).</summary>
    /// <param name="services">The services.</param>
    /// <param name="name">The service key.</param>
    /// <param name="configuration">The section.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The section names no provider or an unknown one, or a client of that name is already registered.</exception>
    public static OtpClientBuilder AddOtpClient(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, name, otp => otp.UseConfiguration(configuration));
    }

    private static OtpClientBuilder AddCore(IServiceCollection services, string? name, Action<OtpClientBuilder> configure)
    {
        if (services.Any(d => d.ServiceType == typeof(OtpClientRegistration) && d.ImplementationInstance is OtpClientRegistration r && r.Name == name))
        {
            throw new InvalidOperationException(name is null
                ? "The default OTP client is already registered: call AddOtpClient once, or register more clients with AddOtpClient(name, …)."
                : $"An OTP client named '{name}' is already registered.");
        }

        services.AddSingleton(new OtpClientRegistration(name));
        services.AddHttpClient();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);

        var builder = new OtpClientBuilder(services, name);
        configure(builder);
        builder.Complete();
        return builder;
    }
}
