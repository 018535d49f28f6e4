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
    /// <param name="configure">Configures the providers with their <c>Use…</c> methods: <c>otp =&gt; otp.UseXxx(o =&gt; { … })</c>.</param>
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
    /// <c>Failover</c> lists several in order; each provider reads its sub-section, named by its
    /// <see cref="OtpProviderDescriptor.ConfigurationSectionName"/>. The built-in providers are known by name; another
    /// provider is made known with <see cref="AddOtpProvider"/> first.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("Otp")</c>; environment variables such as <c>Otp__{Section}__{Setting}</c> apply as usual.</param>
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

    /// <summary>
    /// Makes a provider from another assembly known by its names to <see cref="AddOtpClient(IServiceCollection, IConfiguration)"/>
    /// (<c>Provider</c>, <c>Failover</c>) and <see cref="OtpClientBuilder.UseFailover"/>. Call it before <c>AddOtpClient</c>.
    /// The built-in providers need no call. The same descriptor twice is a no-op.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="descriptor">The provider's descriptor.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IServiceCollection AddOtpProvider(this IServiceCollection services, OtpProviderDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(descriptor);
        OtpProviderCatalog.Register(descriptor);
        if (!services.Any(d => d.ServiceType == typeof(OtpProviderDescriptor) && ReferenceEquals(d.ImplementationInstance, descriptor)))
        {
            services.AddSingleton(descriptor);
        }

        return services;
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
