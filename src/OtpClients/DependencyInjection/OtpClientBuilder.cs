using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpClients;
using OtpClients.Delivery;
using OtpClients.DependencyInjection;
using OtpClients.Diagnostics;
using OtpClients.Failover;
using OtpClients.Guard;
using OtpClients.Http;
using OtpClients.Messages;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the providers of one OTP client registered by <c>AddOtpClient</c>: which providers, their settings, their
/// <see cref="HttpClient"/>s, and failover. Each provider adds itself with its own extension method (<c>UseXxx</c>),
/// defined next to the provider, which calls <see cref="AddProvider{TOptions, TClient}"/>.
/// </summary>
/// <remarks>
/// The <see cref="IOtpClient"/> resolved is the failover client when <see cref="UseFailover"/> was called, otherwise the
/// first provider configured. Each provider's own client type is resolvable too, for its extra operations: unkeyed for
/// the default registration, keyed by the registration's name otherwise.
/// </remarks>
public sealed partial class OtpClientBuilder
{
    private readonly List<ProviderRegistration> providers = [];
    private OtpProviderDescriptor[]? failover;
    private readonly Dictionary<string, OtpProviderDescriptor[]> routes = new(StringComparer.OrdinalIgnoreCase);
    private bool completed;
    private bool guarded;
    private bool deliveryHealth;
    private string deliveryHealthPath = "DeliveryHealth";
    private string guardPath = "SendGuard";
    private string sessionsPath = "Sessions";
    private string? redisPath;

    /// <summary>The configuration section the next provider is bound from, if it is bound from one (checked for unknown keys; named in messages).</summary>
    private IConfiguration? providerSection;

    internal OtpClientBuilder(IServiceCollection services, string? name)
    {
        Services = services;
        Name = name;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the registration's name: the service key of a keyed registration, <see langword="null"/> for the default one.</summary>
    public string? Name { get; }

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
    /// Makes the resolved <see cref="IOtpClient"/> a <see cref="FailoverOtpClient"/> over the given providers, in order.
    /// Each must be configured with its <c>Use…</c> method.
    /// </summary>
    /// <param name="providers">
    /// Provider names in the order a send tries them: any name of the provider's <see cref="OtpProviderDescriptor"/>
    /// (its name, configuration section or an alias; case-insensitive). None: every configured provider, in the order configured.
    /// </param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A name is unknown or repeated.</exception>
    public OtpClientBuilder UseFailover(params string[] providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        EnsureNotCompleted();
        failover = ResolveList(providers, "failover");
        return this;
    }

    private OtpProviderDescriptor[] ResolveList(string[] providers, string what)
    {
        var names = new List<OtpProviderDescriptor>(providers.Length);
        foreach (var provider in providers)
        {
            var descriptor = Resolve(provider)
                ?? throw new ArgumentException($"Unknown OTP provider '{provider}' in {what}: use {OtpProviderCatalog.DescribeKnown(RegisteredDescriptors())}.", nameof(providers));
            if (names.Contains(descriptor))
            {
                throw new ArgumentException($"{char.ToUpperInvariant(what[0])}{what[1..]} names {descriptor.Name} twice.", nameof(providers));
            }

            names.Add(descriptor);
        }

        return [.. names];
    }

    /// <summary>
    /// Routes the sends to numbers of one region to its own ordered list of providers (failover within it), for example
    /// Israeli numbers to one provider, then another: <c>otp.Route("IL", "ProviderA", "ProviderB")</c>. Numbers of other
    /// regions take the default list (<see cref="UseFailover"/>); without one, they fail with
    /// <see cref="OtpErrorCode.NotSupported"/> before any HTTP call. Verify always goes to the provider that sent the code.
    /// </summary>
    /// <param name="regionCode">An ISO 3166-1 alpha-2 region code, such as <c>IL</c> (case-insensitive); <c>*</c> sets the default list, like <see cref="UseFailover"/>.</param>
    /// <param name="providers">Provider names in the order a send tries them (any name of the provider's <see cref="OtpProviderDescriptor"/>). At least one; each configured with its <c>Use…</c> method.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The region is not a region code, the list is empty, or a name is unknown or repeated.</exception>
    public OtpClientBuilder Route(string regionCode, params string[] providers)
    {
        ArgumentNullException.ThrowIfNull(regionCode);
        ArgumentNullException.ThrowIfNull(providers);
        EnsureNotCompleted();
        if (regionCode == OtpRoutes.DefaultRegion)
        {
            return providers.Length == 0 ? throw new ArgumentException("The default route names no provider.", nameof(providers)) : UseFailover(providers);
        }

        if (!OtpRoutes.IsRegionCode(regionCode))
        {
            throw new ArgumentException($"'{regionCode}' is not a region code: use an ISO 3166-1 alpha-2 code such as IL or IT, or * for the default route.", nameof(regionCode));
        }

        if (providers.Length == 0)
        {
            throw new ArgumentException($"The route of {regionCode} names no provider.", nameof(providers));
        }

        routes[regionCode.ToUpperInvariant()] = ResolveList(providers, $"the route of {regionCode.ToUpperInvariant()}");
        return this;
    }

    /// <summary>
    /// Puts the send guard in front of this client (failover and routing included): cooldown and budgets per number,
    /// client IP, region and app, allowed and blocked regions and numbers, distinct regions per IP, a conversion guard,
    /// and a cap on verify attempts (<see cref="OtpSendGuardOptions"/>; the defaults apply to what is not set). A refused
    /// send or verify makes no HTTP call. Counters live in the <see cref="IOtpGuardStore"/>: in memory unless a shared store
    /// such as <c>otp.UseRedis(…)</c> is registered. Options are validated at start. Calling it again adds to the configuration.
    /// </summary>
    /// <param name="configure">Sets the rules; <see langword="null"/> keeps the defaults.</param>
    /// <returns>This builder.</returns>
    public OtpClientBuilder UseSendGuard(Action<OtpSendGuardOptions>? configure = null)
    {
        EnsureNotCompleted();
        var options = Services.AddOptions<OtpSendGuardOptions>(OptionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        guarded = true;
        return this;
    }

    /// <summary>
    /// Turns on delivery health: the verification sessions of this client learn which providers deliver (a send verified
    /// in time counts for its provider and region; one not verified within <see cref="OtpDeliveryHealthOptions.VerifyWithin"/>,
    /// or sent again with <see cref="IOtpVerificationSessions.ResendAsync(string, string?, System.Threading.CancellationToken)"/>, counts against), and a provider whose sends stop
    /// converting is demoted for that region: new sessions try the next provider of the route first, with a few probes to
    /// it so that it earns its traffic back. Demotion only reorders; it never refuses a send. The figures live in the
    /// <see cref="IOtpDeliveryHealthStore"/>: in memory unless a shared store such as <c>otp.UseRedis(…)</c> is registered.
    /// Read them with <see cref="IOtpDeliveryHealth"/>. Options are validated at start. Calling it again adds to the configuration.
    /// </summary>
    /// <param name="configure">Sets the options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>This builder.</returns>
    public OtpClientBuilder UseDeliveryHealth(Action<OtpDeliveryHealthOptions>? configure = null)
    {
        EnsureNotCompleted();
        var options = Services.AddOptions<OtpDeliveryHealthOptions>(OptionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        deliveryHealth = true;
        return this;
    }

    /// <summary>
    /// Configures the verification sessions (<see cref="IOtpVerificationSessions"/>) registered with this client: attempts
    /// and lifetime (<see cref="OtpSessionOptions"/>). Sessions are registered without this call, with the defaults.
    /// </summary>
    /// <param name="configure">Sets the options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public OtpClientBuilder UseSessions(Action<OtpSessionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        EnsureNotCompleted();
        Services.AddOptions<OtpSessionOptions>(OptionsName).Configure(configure);
        return this;
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

    /// <summary>The name of this registration's guard and session options.</summary>
    private string OptionsName => Name ?? Options.Options.DefaultName;

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

    /// <summary>The keys an OTP configuration section may hold besides one section per known provider.</summary>
    private static readonly string[] RootKeys = ["Provider", "Failover", "Routes", "SendGuard", "Sessions", "DeliveryHealth", "Messages", "Redis"];

    /// <summary>
    /// Configures the providers named by a configuration section: <c>Provider</c> or <c>Failover</c>, and one sub-section
    /// per provider. Every problem of the whole section (misspelt keys of each sub-section, unknown provider names) is
    /// reported in one exception.
    /// </summary>
    internal void UseConfiguration(IConfiguration configuration)
    {
        var problems = new List<string>();
        var previous = ConfigurationKeys.Collector;
        ConfigurationKeys.Collector = problems;
        try
        {
            UseConfigurationCore(configuration, problems);
        }
        catch (InvalidOperationException ex) when (problems.Count > 0)
        {
            problems.Add(ex.Message);
        }
        finally
        {
            ConfigurationKeys.Collector = previous;
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems.Distinct(StringComparer.Ordinal)));
        }
    }

    private void UseConfigurationCore(IConfiguration configuration, List<string> problems)
    {
        var path = configuration is IConfigurationSection section ? section.Path : "(root)";
        ConfigurationKeys.ThrowIfUnknown(configuration, [.. RootKeys, .. OtpProviderCatalog.All.Concat(RegisteredDescriptors()).Select(d => d.ConfigurationSectionName)]);
        var failoverSection = configuration.GetSection("Failover");
        var listed = failoverSection.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        if (listed.Count == 0 && failoverSection.Value is { } inline && !string.IsNullOrWhiteSpace(inline))
        {
            listed = [.. inline.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        var registered = RegisteredDescriptors();
        var routesSection = configuration.GetSection("Routes");
        var routeLists = new List<(string Region, List<string> Providers)>();
        foreach (var route in routesSection.GetChildren())
        {
            var region = route.Key;
            if (region != OtpRoutes.DefaultRegion && !OtpRoutes.IsRegionCode(region))
            {
                throw new InvalidOperationException($"{route.Path}: '{region}' is not a region code: use an ISO 3166-1 alpha-2 code such as IL or IT, or * for the default route.");
            }

            var providers = ReadList(route);
            if (providers.Count == 0)
            {
                throw new InvalidOperationException($"{route.Path} names no provider: list them in order ({OtpProviderCatalog.DescribeKnown(registered)}).");
            }

            routeLists.Add((region, providers));
        }

        if (listed.Count > 0 && routeLists.Exists(r => r.Region == OtpRoutes.DefaultRegion))
        {
            throw new InvalidOperationException($"{path}:Failover and {path}:Routes:* both set the default route: keep one.");
        }

        var single = configuration["Provider"];
        var named = listed.Count > 0
            ? listed.Select((name, i) => (Name: name, Path: failoverSection.Value is null ? $"{failoverSection.Path}:{i}" : failoverSection.Path)).ToList()
            : string.IsNullOrWhiteSpace(single) ? [] : [(single.Trim(), $"{path}:Provider")];
        named = [.. named.Concat(routeLists.SelectMany(r => r.Providers.Select((name, i) => (name, $"{routesSection.Path}:{r.Region}:{i}"))))];
        if (named.Count == 0)
        {
            throw new InvalidOperationException($"{path}:Provider is required ({OtpProviderCatalog.DescribeKnown(registered)}), or {path}:Failover with the providers in order, or {path}:Routes.");
        }

        var configured = new HashSet<OtpProviderDescriptor>();
        var unknown = false;
        foreach (var (provider, at) in named)
        {
            var descriptor = OtpProviderCatalog.Find(provider, registered);
            if (descriptor is null)
            {
                var known = OtpProviderCatalog.All.Concat(registered).ToList();
                var closest = ConfigurationKeys.Closest(provider, known.Select(d => d.ConfigurationSectionName))
                    ?? known.FirstOrDefault(d => ConfigurationKeys.Closest(provider, new[] { d.Name }.Concat(d.Aliases)) is not null)?.ConfigurationSectionName;
                problems.Add($"{at} '{provider}' is not an OTP provider{(closest is null ? string.Empty : $" (did you mean {closest}?)")}: use {OtpProviderCatalog.DescribeKnown(registered)}.");
                unknown = true;
                continue;
            }

            if (configured.Add(descriptor))
            {
                descriptor.ConfigureFrom(this, configuration);
            }
        }

        if (listed.Count > 0 && !unknown)
        {
            UseFailover([.. listed]);
        }

        if (configuration.GetSection("SendGuard") is { } guardSection && guardSection.Exists())
        {
            guardPath = guardSection.Path;
            ConfigurationKeys.ThrowIfUnknown(typeof(OtpSendGuardOptions), guardSection);
            UseSendGuard();
            Services.AddOptions<OtpSendGuardOptions>(OptionsName).Bind(guardSection);
        }

        if (configuration.GetSection("DeliveryHealth") is { } healthSection && healthSection.Exists())
        {
            deliveryHealthPath = healthSection.Path;
            ConfigurationKeys.ThrowIfUnknown(typeof(OtpDeliveryHealthOptions), healthSection);
            UseDeliveryHealth();
            Services.AddOptions<OtpDeliveryHealthOptions>(OptionsName).Bind(healthSection);
        }

        if (configuration.GetSection("Messages") is { } messagesSection && messagesSection.Exists())
        {
            messagesPath = messagesSection.Path;
            ConfigurationKeys.ThrowIfUnknown(typeof(OtpMessageOptions), messagesSection);
            UseMessages();
            Services.AddOptions<OtpMessageOptions>(OptionsName).Bind(messagesSection);
        }

        if (configuration.GetSection("Redis") is { } redisSection && redisSection.Exists())
        {
            redisPath = redisSection.Path; // read by otp.UseRedis(section) only: checked at start (RedisWithoutUseRedis)
        }

        if (configuration.GetSection("Sessions") is { } sessionsSection && sessionsSection.Exists())
        {
            sessionsPath = sessionsSection.Path;
            ConfigurationKeys.ThrowIfUnknown(typeof(OtpSessionOptions), sessionsSection);
            Services.AddOptions<OtpSessionOptions>(OptionsName).Bind(sessionsSection);
        }

        foreach (var (region, providers) in routeLists)
        {
            if (unknown)
            {
                break; // reported above
            }

            try
            {
                Route(region, [.. providers]);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidOperationException($"{routesSection.Path}:{region}: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Reads a list from configuration: an array of values, or one comma-separated value.</summary>
    private static List<string> ReadList(IConfigurationSection section)
    {
        var listed = section.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        if (listed.Count == 0 && section.Value is { } inline && !string.IsNullOrWhiteSpace(inline))
        {
            listed = [.. inline.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return listed;
    }

    /// <summary>Registers the <see cref="IOtpClient"/> once every provider is configured.</summary>
    internal void Complete()
    {
        EnsureNotCompleted();
        if (providers.Count == 0)
        {
            throw new InvalidOperationException($"AddOtpClient needs a provider: call one provider's Use… method ({string.Join(", ", OtpProviderCatalog.All.Select(d => "Use" + d.ConfigurationSectionName + "(…)").Order(StringComparer.Ordinal))}) or AddProvider.");
        }

        var optionsName = OptionsName;
        CompleteMessages();
        var healthKey = "OtpClients.DeliveryHealth:" + optionsName;
        if (deliveryHealth)
        {
            var path = deliveryHealthPath;
            var registration = Name;
            Services.AddOptions<OtpDeliveryHealthOptions>(optionsName).ValidateOnStart();
            Services.AddSingleton<IValidateOptions<OtpDeliveryHealthOptions>>(new DelegateValidator<OtpDeliveryHealthOptions>(optionsName, o => ValidateDeliveryHealth(o, path)));
            Services.TryAddSingleton<IOtpDeliveryHealthStore>(static sp => new InMemoryOtpDeliveryHealthStore(sp.GetRequiredService<TimeProvider>()));
            Services.AddKeyedSingleton(healthKey, (sp, _) => new OtpDeliveryHealthMonitor(
                registration,
                sp.GetRequiredService<IOptionsMonitor<OtpDeliveryHealthOptions>>().Get(optionsName),
                sp.GetRequiredService<IOtpDeliveryHealthStore>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<OtpDeliveryHealthMonitor>()));
            Services.AddSingleton(sp => sp.GetRequiredKeyedService<OtpDeliveryHealthMonitor>(healthKey));
            Services.TryAddSingleton<IOtpDeliveryHealth>(static sp => new OtpDeliveryHealth(sp.GetServices<OtpDeliveryHealthMonitor>()));
        }

        OtpDeliveryHealthMonitor? Health(IServiceProvider sp) => deliveryHealth ? sp.GetRequiredKeyedService<OtpDeliveryHealthMonitor>(healthKey) : null;

        Func<IServiceProvider, IOtpClient> root;
        if (failover is not null || routes.Count > 0)
        {
            Func<IServiceProvider, IOtpClient> FactoryOf(OtpProviderDescriptor descriptor, string what) =>
                WithMessages(providers.Find(p => ReferenceEquals(p.Descriptor, descriptor) || p.Descriptor.Matches(descriptor.Name))
                ?? throw new InvalidOperationException($"{what} names {descriptor.Name}, which is not configured: call Use{descriptor.ConfigurationSectionName}(…) too."));

            var defaultFactories = failover?.Select(d => FactoryOf(d, "Failover")).ToArray();
            var routeFactories = routes.ToDictionary(r => r.Key, r => r.Value.Select(d => (d.Name, Factory: FactoryOf(d, "The route of " + r.Key))).ToArray(), StringComparer.OrdinalIgnoreCase);
            var defaultNames = failover?.Select(d => d.Name).ToArray();
            root = sp =>
            {
                // One client per provider, shared by every route that names it.
                var created = new Dictionary<string, IOtpClient>(StringComparer.Ordinal);
                IOtpClient Get(string name, Func<IServiceProvider, IOtpClient> factory) =>
                    created.TryGetValue(name, out var client) ? client : created[name] = factory(sp);

                var defaultRoute = defaultFactories?.Select((f, i) => Get(defaultNames![i], f)).ToArray();
                var regional = routeFactories.ToDictionary(r => r.Key, r => (IEnumerable<IOtpClient>)r.Value.Select(p => Get(p.Name, p.Factory)).ToArray(), StringComparer.OrdinalIgnoreCase);
                return new FailoverOtpClient(defaultRoute, regional, sp.GetRequiredService<ILoggerFactory>().CreateLogger<FailoverOtpClient>())
                {
                    DeliveryHealth = Health(sp),
                };
            };
        }
        else
        {
            root = WithMessages(providers[0]);
        }

        // The guard is on for the sessions unless turned off (SendGuard:Enabled false); on for the client too with
        // UseSendGuard or a SendGuard section.
        var registrationKey = "OtpClients.Guard:" + optionsName;
        var guardPathValue = guardPath;
        var redisPathValue = redisPath;
        var registrationLabel = Name is null ? string.Empty : $" of '{Name}'";
        var byNumber = providers.Where(p => p.Descriptor.ChecksByPhoneNumber).Select(p => p.Descriptor.Name).ToArray();
        Services.AddOptions<OtpSendGuardOptions>(optionsName).ValidateOnStart();
        Services.AddSingleton<IValidateOptions<OtpSendGuardOptions>>(sp => new DelegateValidator<OtpSendGuardOptions>(optionsName, o =>
        {
            var errors = SendGuardPolicy.Validate(o, guardPathValue);
            if (errors.Count == 0 && o.Enabled && o.AllowedRegions.Count == 0 && o.MaxSendsPerHour == 0)
            {
                Log.GuardWithoutSpendCap(sp.GetRequiredService<ILoggerFactory>().CreateLogger<SendGuardOtpClient>(), registrationLabel, guardPathValue);
            }

            return errors;
        }));
        Services.TryAddSingleton<IOtpGuardStore, InMemoryOtpGuardStore>();
        Services.AddKeyedSingleton(registrationKey, (sp, _) => new SendGuardPolicy(
            sp.GetRequiredService<IOptionsMonitor<OtpSendGuardOptions>>().Get(optionsName),
            Name is null ? string.Empty : Name + "/",
            byNumber));
        var unguarded = root;
        Func<IServiceProvider, IOtpClient> guardedRoot = sp => sp.GetRequiredKeyedService<SendGuardPolicy>(registrationKey) is { Options.Enabled: true } policy
            ? new SendGuardOtpClient(
                unguarded(sp),
                policy,
                sp.GetRequiredService<IOtpGuardStore>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<SendGuardOtpClient>())
            : unguarded(sp);
        if (guarded)
        {
            root = guardedRoot;
        }

        var sessionsPathValue = sessionsPath;
        Services.AddOptions<OtpSessionOptions>(optionsName).ValidateOnStart();
        var services = Services;
        Services.AddSingleton<IValidateOptions<OtpSessionOptions>>(new DelegateValidator<OtpSessionOptions>(optionsName, o =>
        {
            var errors = ValidateSessions(o, sessionsPathValue);
            RedisWithoutUseRedis(services, redisPathValue, errors);
            return errors;
        }));
        Services.TryAdd(InMemorySessionStore);
        Services.TryAddSingleton<OtpSessionStoreStatus>();
        OtpChannel[] offered = [.. providers.SelectMany(p => p.Descriptor.Channels).Distinct().Order()];
        IOtpVerificationSessions Sessions(IServiceProvider sp) => new OtpVerificationSessions(
            guardedRoot(sp),
            sp.GetRequiredService<IOtpSessionStore>(),
            sp.GetRequiredService<IOptionsMonitor<OtpSessionOptions>>().Get(optionsName),
            Health(sp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<OtpVerificationSessions>(),
            sp.GetRequiredService<OtpSessionStoreStatus>(),
            offered);

        if (Name is null)
        {
            Services.AddTransient(root);
            Services.AddTransient(Sessions);
        }
        else
        {
            Services.AddKeyedTransient(Name, (sp, _) => root(sp));
            Services.AddKeyedTransient(Name, (sp, _) => Sessions(sp));
        }

        completed = true;
    }

    /// <summary>The default session store's registration: in memory.</summary>
    private static readonly ServiceDescriptor InMemorySessionStore = ServiceDescriptor.Singleton<IOtpSessionStore>(static sp => new InMemoryOtpSessionStore(sp.GetRequiredService<TimeProvider>()));

    /// <summary>
    /// A <c>Redis</c> section with the stores still in memory: <c>AddOtpClient(configuration)</c> does not read it (the core
    /// names no store package), so a multi-instance app would keep its budgets and sessions per instance without a word.
    /// </summary>
    private static void RedisWithoutUseRedis(IServiceCollection services, string? path, List<string> errors)
    {
        // Read off the registrations (the last one wins), not by resolving the stores: a shared store's own options may
        // be invalid, and are reported by its own validator.
        var sessionStore = services.LastOrDefault(d => d.ServiceType == typeof(IOtpSessionStore) && !d.IsKeyedService);
        var guardStore = services.LastOrDefault(d => d.ServiceType == typeof(IOtpGuardStore) && !d.IsKeyedService);
        if (path is not null && (sessionStore is null || sessionStore == InMemorySessionStore || guardStore is null || guardStore.ImplementationType == typeof(InMemoryOtpGuardStore)))
        {
            errors.Add($"{path} is set, but the guard's counters and the sessions are in this process's memory: call otp.UseRedis(configuration.GetSection(\"{path}\")) from the OtpClients.Redis package, or remove {path}. Without it every app instance keeps its own budgets and sessions.");
        }
    }

    private static List<string> ValidateSessions(OtpSessionOptions options, string path)
    {
        var errors = new List<string>();
        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"{path}:MaxAttempts must be from 1 to 100; it is {options.MaxAttempts}.");
        }

        if (options.DefaultTimeToLive < TimeSpan.FromMinutes(1) || options.DefaultTimeToLive > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:DefaultTimeToLive must be from 1 minute to 1 day; it is {options.DefaultTimeToLive}.");
        }

        return errors;
    }

    private static List<string> ValidateDeliveryHealth(OtpDeliveryHealthOptions options, string path)
    {
        var errors = new List<string>();
        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(7))
        {
            errors.Add($"{path}:Window must be from 1 second to 7 days; it is {options.Window}.");
        }

        if (options.VerifyWithin < TimeSpan.FromMilliseconds(100) || options.VerifyWithin > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:VerifyWithin must be from 100 milliseconds to 1 day; it is {options.VerifyWithin}.");
        }
        else if (options.VerifyWithin >= options.Window)
        {
            errors.Add($"{path}:VerifyWithin must be shorter than {path}:Window; it is {options.VerifyWithin} for a window of {options.Window}.");
        }

        if (options.MinSends is < 5 or > 100_000)
        {
            errors.Add($"{path}:MinSends must be from 5 to 100000; it is {options.MinSends}.");
        }

        if (!(options.DemotionRatio is >= 0.05 and <= 0.95))
        {
            errors.Add($"{path}:DemotionRatio must be from 0.05 to 0.95; it is {options.DemotionRatio}.");
        }

        if (!(options.ProbeShare is >= 0 and <= 0.5))
        {
            errors.Add($"{path}:ProbeShare must be from 0 to 0.5; it is {options.ProbeShare}.");
        }

        if (options.MaxSendsPerNetwork is < 1 or > 1000)
        {
            errors.Add($"{path}:MaxSendsPerNetwork must be from 1 to 1000; it is {options.MaxSendsPerNetwork}.");
        }

        return errors;
    }

    /// <summary>Finds a provider by any of its names: configured here, registered in the services, or known to the process.</summary>
    private OtpProviderDescriptor? Resolve(string? name) =>
        providers.Find(p => p.Descriptor.Matches(name))?.Descriptor ?? OtpProviderCatalog.Find(name, RegisteredDescriptors());

    /// <summary>The descriptors registered in the services with <c>AddOtpProvider</c>.</summary>
    private OtpProviderDescriptor[] RegisteredDescriptors() =>
        [.. Services.Where(d => d.ServiceType == typeof(OtpProviderDescriptor) && d.ImplementationInstance is OtpProviderDescriptor).Select(d => (OtpProviderDescriptor)d.ImplementationInstance!)];

    private void EnsureNotCompleted()
    {
        if (completed)
        {
            throw new InvalidOperationException("This OTP client is already registered: configure its providers inside the AddOtpClient callback.");
        }
    }

    private sealed record ProviderRegistration(OtpProviderDescriptor Descriptor, Func<IServiceProvider, IOtpClient> Factory, IHttpClientBuilder Http);
}
