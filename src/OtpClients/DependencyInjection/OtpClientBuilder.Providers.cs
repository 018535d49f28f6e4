using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpClients;
using OtpClients.DependencyInjection;
using OtpClients.Diagnostics;
using OtpClients.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The OTP client builder's providers: the extension point (AddProvider), plug-in configuration sections, and the providers' HTTP clients.</summary>
public sealed partial class OtpClientBuilder
{
    /// <summary>
    /// Adds a provider to this OTP client: the extension point every provider's <c>UseXxx</c> method calls, the built-in
    /// ones included. It registers the provider's options (named, validated at start with
    /// <see cref="OtpProviderOptions.Validate"/>), its <see cref="HttpClient"/> (from <c>IHttpClientFactory</c>: base address
    /// from the options, no redirects, no URI-logging handlers, and the SDK's resilience handler, rebuilt when the options
    /// reload), and its client type. The <see cref="IOtpClient"/> it contributes records the SDK's telemetry (see
    /// <see cref="OtpProviderDescriptor.RecordsTelemetry"/>).
    /// </summary>
    /// <typeparam name="TOptions">The provider's options, derived from <see cref="OtpProviderOptions"/>.</typeparam>
    /// <typeparam name="TClient">The provider's client.</typeparam>
    /// <param name="descriptor">The provider's names (also made known to configuration, failover and message templates).</param>
    /// <param name="configureOptions">Configures the options: <c>o =&gt; o.Configure(…)</c> or <c>o =&gt; o.Bind(section)</c>.</param>
    /// <param name="createClient">
    /// Creates the client from the services, the provider's <see cref="HttpClient"/> (its base address is
    /// <see cref="OtpProviderOptions.BaseAddress"/>) and the options. Called each time the client is resolved (transient).
    /// </param>
    /// <returns>The builder of the provider's <see cref="HttpClient"/>, to add handlers or configure it.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The provider is already configured for this client, or the client is already registered.</exception>
    public IHttpClientBuilder AddProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties)] TOptions, TClient>(
        OtpProviderDescriptor descriptor,
        Action<OptionsBuilder<TOptions>> configureOptions,
        Func<IServiceProvider, HttpClient, TOptions, TClient> createClient)
        where TOptions : OtpProviderOptions
        where TClient : class, IOtpClient
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(configureOptions);
        ArgumentNullException.ThrowIfNull(createClient);
        EnsureNotCompleted();
        if (providers.Exists(p => string.Equals(p.Descriptor.Name, descriptor.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"{descriptor.Name} is already configured for this OTP client.");
        }

        OtpProviderCatalog.Register(descriptor);
        var section = providerSection;
        providerSection = null;
        if (section is not null)
        {
            // A misspelt key would be ignored by the binder (a sandbox switch misspelt would send real SMS): refuse to start.
            ConfigurationKeys.ThrowIfUnknown(typeof(TOptions), section);
        }

        var clientName = Name is null ? $"OtpClients.{descriptor.Name}" : $"OtpClients.{Name}.{descriptor.Name}";
        var options = Services.AddOptions<TOptions>(clientName);
        configureOptions(options);
        options.ValidateOnStart();
        Services.AddSingleton<IValidateOptions<TOptions>>(new OtpProviderOptionsValidator<TOptions>(clientName, descriptor.ConfigurationSectionName, (section as IConfigurationSection)?.Path));

        Services.TryAddSingleton<OtpProviderHealthMonitor>();
        Services.TryAddSingleton<IOtpProviderHealth>(static sp => sp.GetRequiredService<OtpProviderHealthMonitor>());
        Services.AddSingleton(new OtpProviderHealthEntry(Name, descriptor.Name, clientName, sp => sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(clientName)));

        var http = Services.AddHttpClient(clientName)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(clientName).BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddOtpResilience<TOptions>(descriptor.Name)
            .AddHttpMessageHandler(static () => new ProviderWireHandler())
            .RemoveAllLoggers(); // IHttpClientFactory would log the URI (a check may carry the code there); the clients log each exchange, redacted, at Debug.

        TClient Create(IServiceProvider sp) => createClient(
            sp,
            ProviderChannel.MarkSdkClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName)),
            sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(clientName));

        IOtpClient Factory(IServiceProvider sp) => descriptor.RecordsTelemetry
            ? Create(sp)
            : new InstrumentedOtpClient(Create(sp), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TClient)), sp.GetRequiredService<TimeProvider>());

        if (Name is null)
        {
            Services.TryAddTransient(Create);
        }
        else
        {
            Services.AddKeyedTransient(Name, (sp, _) => Create(sp));
        }

        providers.Add(new ProviderRegistration(descriptor, Factory, http));
        return http;
    }

    /// <summary>
    /// Refuses the keys of a configuration section that bind to nothing in <typeparamref name="TOptions"/>: the binder
    /// ignores them, so a misspelt setting would silently keep its default. For plug-ins that bind their own section
    /// (a store's, a provider's settings bound outside <see cref="AddProvider{TOptions, TClient}"/>), so they fail at start
    /// as the built-in sections do. Public settable properties, and the properties of nested options objects, are valid
    /// keys (case ignored).
    /// </summary>
    /// <typeparam name="TOptions">The options type the section binds to.</typeparam>
    /// <param name="section">The section, e.g. <c>configuration.GetSection("Otp:Redis")</c>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="section"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// A key binds to nothing. The message names each such key by its full configuration path and, when one is close, the
    /// valid key meant (<c>Otp:Redis:HashKy is not a setting (did you mean Otp:Redis:HashKey?)</c>).
    /// </exception>
    public OtpClientBuilder ThrowIfUnknownKeys<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        ConfigurationKeys.ThrowIfUnknown(typeof(TOptions), section);
        return this;
    }

    /// <summary>Gets the builder of a configured provider's <see cref="HttpClient"/>, e.g. to add a handler after binding from configuration.</summary>
    /// <param name="provider">Any name of the provider (its name, configuration section or an alias).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">The provider is not configured.</exception>
    public IHttpClientBuilder GetHttpClientBuilder(string provider)
    {
        foreach (var registration in providers)
        {
            if (registration.Descriptor.Matches(provider))
            {
                return registration.Http;
            }
        }

        throw new InvalidOperationException($"The OTP provider '{provider}' is not configured for this client.");
    }

    /// <summary>
    /// Adds a provider bound from a configuration section, as the built-in providers' <c>UseXxx(IConfiguration)</c> do:
    /// the section's keys are checked against the options type (a misspelt key fails at once, naming its path and the key
    /// meant), and validation messages name configuration paths (<c>Otp:Xxx:ApiToken is required.</c> rather than
    /// <c>Xxx.ApiToken</c>). Call <see cref="AddProvider{TOptions, TClient}"/> inside <paramref name="addProvider"/>, binding
    /// the options from the same section: <c>otp.FromSection(section, () =&gt; otp.AddProvider&lt;XxxOptions, XxxOtpClient&gt;(descriptor, o =&gt; o.Bind(section), create))</c>.
    /// </summary>
    /// <param name="section">The provider's configuration section.</param>
    /// <param name="addProvider">Adds the provider with <see cref="AddProvider{TOptions, TClient}"/>.</param>
    /// <returns>What <paramref name="addProvider"/> returns: the builder of the provider's <see cref="HttpClient"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">A key of the section is not a setting of the options; or what <see cref="AddProvider{TOptions, TClient}"/> throws.</exception>
    public IHttpClientBuilder FromSection(IConfiguration section, Func<IHttpClientBuilder> addProvider)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(addProvider);
        providerSection = section;
        try
        {
            return addProvider();
        }
        finally
        {
            providerSection = null;
        }
    }
}
