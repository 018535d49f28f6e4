using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpClients;
using OtpClients.Amm;
using OtpClients.DependencyInjection;
using OtpClients.Failover;
using OtpClients.Http;
using OtpClients.Ip1;
using OtpClients.NinetyNineDigital;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the providers of one OTP client registered by <c>AddOtpClient</c>: which providers, their settings, their
/// <see cref="HttpClient"/>s, and failover.
/// </summary>
/// <remarks>
/// The <see cref="IOtpClient"/> resolved is the failover client when <see cref="UseFailover"/> was called, otherwise the
/// first provider configured. Each provider's own client (<see cref="AmmOtpClient"/>, <see cref="Ip1OtpClient"/>,
/// <see cref="NinetyNineDigitalOtpClient"/>) is resolvable too, for its extra operations: unkeyed for the default
/// registration, keyed by the registration's name otherwise.
/// </remarks>
public sealed class OtpClientBuilder
{
    private readonly List<(string Provider, Func<IServiceProvider, IOtpClient> Factory, IHttpClientBuilder Http)> providers = [];
    private string[]? failover;
    private bool completed;

    internal OtpClientBuilder(IServiceCollection services, string? name)
    {
        Services = services;
        Name = name;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the registration's name: the service key of a keyed registration, <see langword="null"/> for the default one.</summary>
    public string? Name { get; }

    /// <summary>Configures AMM.</summary>
    /// <param name="configure">Sets the options: at least <see cref="AmmOptions.AuthKey"/> and <see cref="AmmOptions.AuthSecret"/>.</param>
    /// <returns>The builder of AMM's <see cref="HttpClient"/>, to add handlers or configure it.</returns>
    public IHttpClientBuilder UseAmm(Action<AmmOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddProvider<AmmOptions, AmmOtpClient>(OtpProviderNames.Amm, o => o.Configure(configure), static (http, o, t, l) => new AmmOtpClient(http, o, t, l.CreateLogger<AmmOtpClient>()));
    }

    /// <summary>Configures AMM from a configuration section (the shape of <see cref="AmmOptions"/>).</summary>
    /// <param name="configuration">The section, e.g. <c>Otp:Amm</c>.</param>
    /// <returns>The builder of AMM's <see cref="HttpClient"/>.</returns>
    public IHttpClientBuilder UseAmm(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddProvider<AmmOptions, AmmOtpClient>(OtpProviderNames.Amm, o => o.Bind(configuration), static (http, o, t, l) => new AmmOtpClient(http, o, t, l.CreateLogger<AmmOtpClient>()));
    }

    /// <summary>Configures iP1.</summary>
    /// <param name="configure">Sets the options: at least <see cref="Ip1Options.AccountId"/> and <see cref="Ip1Options.ApiKey"/>.</param>
    /// <returns>The builder of iP1's <see cref="HttpClient"/>.</returns>
    public IHttpClientBuilder UseIp1(Action<Ip1Options> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddProvider<Ip1Options, Ip1OtpClient>(OtpProviderNames.Ip1, o => o.Configure(configure), static (http, o, t, l) => new Ip1OtpClient(http, o, t, l.CreateLogger<Ip1OtpClient>()));
    }

    /// <summary>Configures iP1 from a configuration section (the shape of <see cref="Ip1Options"/>).</summary>
    /// <param name="configuration">The section, e.g. <c>Otp:Ip1</c>.</param>
    /// <returns>The builder of iP1's <see cref="HttpClient"/>.</returns>
    public IHttpClientBuilder UseIp1(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddProvider<Ip1Options, Ip1OtpClient>(OtpProviderNames.Ip1, o => o.Bind(configuration), static (http, o, t, l) => new Ip1OtpClient(http, o, t, l.CreateLogger<Ip1OtpClient>()));
    }

    /// <summary>Configures 99digital.</summary>
    /// <param name="configure">Sets the options: at least <see cref="NinetyNineDigitalOptions.ApiKey"/> and <see cref="NinetyNineDigitalOptions.Sender"/>.</param>
    /// <returns>The builder of 99digital's <see cref="HttpClient"/>.</returns>
    public IHttpClientBuilder UseNinetyNineDigital(Action<NinetyNineDigitalOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddProvider<NinetyNineDigitalOptions, NinetyNineDigitalOtpClient>(OtpProviderNames.NinetyNineDigital, o => o.Configure(configure), static (http, o, t, l) => new NinetyNineDigitalOtpClient(http, o, t, l.CreateLogger<NinetyNineDigitalOtpClient>()));
    }

    /// <summary>Configures 99digital from a configuration section (the shape of <see cref="NinetyNineDigitalOptions"/>).</summary>
    /// <param name="configuration">The section, e.g. <c>Otp:NinetyNineDigital</c>.</param>
    /// <returns>The builder of 99digital's <see cref="HttpClient"/>.</returns>
    public IHttpClientBuilder UseNinetyNineDigital(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddProvider<NinetyNineDigitalOptions, NinetyNineDigitalOtpClient>(OtpProviderNames.NinetyNineDigital, o => o.Bind(configuration), static (http, o, t, l) => new NinetyNineDigitalOtpClient(http, o, t, l.CreateLogger<NinetyNineDigitalOtpClient>()));
    }

    /// <summary>
    /// Makes the resolved <see cref="IOtpClient"/> a <see cref="FailoverOtpClient"/> over the given providers, in order.
    /// Each must be configured with its <c>Use…</c> method.
    /// </summary>
    /// <param name="providers">Provider names in the order a send tries them: <c>"Amm"</c>/<c>"AMM"</c>, <c>"Ip1"</c>/<c>"iP1"</c>, <c>"NinetyNineDigital"</c>/<c>"99digital"</c>. None: every configured provider, in the order configured.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A name is unknown or repeated.</exception>
    public OtpClientBuilder UseFailover(params string[] providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        EnsureNotCompleted();
        var names = new List<string>(providers.Length);
        foreach (var provider in providers)
        {
            var name = NormalizeProvider(provider) ?? throw new ArgumentException($"Unknown OTP provider '{provider}' in failover: use Amm, Ip1 or NinetyNineDigital.", nameof(providers));
            if (names.Contains(name))
            {
                throw new ArgumentException($"Failover names {name} twice.", nameof(providers));
            }

            names.Add(name);
        }

        failover = [.. names];
        return this;
    }

    /// <summary>Gets the builder of a configured provider's <see cref="HttpClient"/>, e.g. to add a handler after binding from configuration.</summary>
    /// <param name="provider">The provider name (<c>"Amm"</c>, <c>"iP1"</c>, …).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">The provider is not configured.</exception>
    public IHttpClientBuilder GetHttpClientBuilder(string provider)
    {
        var name = NormalizeProvider(provider);
        foreach (var registration in providers)
        {
            if (registration.Provider == name)
            {
                return registration.Http;
            }
        }

        throw new InvalidOperationException($"The OTP provider '{provider}' is not configured for this client.");
    }

    /// <summary>Configures the providers named by a configuration section: <c>Provider</c> or <c>Failover</c>, and one sub-section per provider.</summary>
    internal void UseConfiguration(IConfiguration configuration)
    {
        var path = configuration is IConfigurationSection section ? section.Path : "(root)";
        var failoverSection = configuration.GetSection("Failover");
        var listed = failoverSection.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        if (listed.Count == 0 && failoverSection.Value is { } inline && !string.IsNullOrWhiteSpace(inline))
        {
            listed = [.. inline.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        var single = configuration["Provider"];
        var names = listed.Count > 0 ? listed : string.IsNullOrWhiteSpace(single) ? [] : [single.Trim()];
        if (names.Count == 0)
        {
            throw new InvalidOperationException($"{path}:Provider is required (Amm, Ip1 or NinetyNineDigital), or {path}:Failover with the providers in order.");
        }

        foreach (var provider in names)
        {
            switch (NormalizeProvider(provider))
            {
                case OtpProviderNames.Amm:
                    UseAmm(configuration.GetSection("Amm"));
                    break;
                case OtpProviderNames.Ip1:
                    UseIp1(configuration.GetSection("Ip1"));
                    break;
                case OtpProviderNames.NinetyNineDigital:
                    UseNinetyNineDigital(configuration.GetSection("NinetyNineDigital"));
                    break;
                default:
                    throw new InvalidOperationException($"{path}: unknown OTP provider '{provider}': use Amm, Ip1 or NinetyNineDigital.");
            }
        }

        if (listed.Count > 0)
        {
            UseFailover([.. listed]);
        }
    }

    /// <summary>Registers the <see cref="IOtpClient"/> once every provider is configured.</summary>
    internal void Complete()
    {
        EnsureNotCompleted();
        if (providers.Count == 0)
        {
            throw new InvalidOperationException("AddOtpClient needs a provider: call UseAmm(…), UseIp1(…) or UseNinetyNineDigital(…).");
        }

        Func<IServiceProvider, IOtpClient> root;
        if (failover is { } order)
        {
            var factories = order.Select(p => providers.FirstOrDefault(r => r.Provider == p).Factory
                ?? throw new InvalidOperationException($"Failover names {p}, which is not configured: call Use{SectionName(p)}(…) too.")).ToArray();
            root = sp => new FailoverOtpClient(factories.Select(f => f(sp)), sp.GetRequiredService<ILoggerFactory>().CreateLogger<FailoverOtpClient>());
        }
        else
        {
            root = providers[0].Factory;
        }

        if (Name is null)
        {
            Services.AddTransient(root);
        }
        else
        {
            Services.AddKeyedTransient(Name, (sp, _) => root(sp));
        }

        completed = true;
    }

    internal static string? NormalizeProvider(string? provider) => provider?.Trim().ToUpperInvariant() switch
    {
        "AMM" => OtpProviderNames.Amm,
        "IP1" => OtpProviderNames.Ip1,
        "NINETYNINEDIGITAL" or "99DIGITAL" => OtpProviderNames.NinetyNineDigital,
        _ => null,
    };

    private static string SectionName(string provider) => provider switch
    {
        OtpProviderNames.Amm => "Amm",
        OtpProviderNames.Ip1 => "Ip1",
        _ => "NinetyNineDigital",
    };

    private IHttpClientBuilder AddProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, TClient>(string provider, Action<OptionsBuilder<TOptions>> configureOptions, Func<HttpClient, TOptions, TimeProvider, ILoggerFactory, TClient> create)
        where TOptions : OtpProviderOptions
        where TClient : class, IOtpClient
    {
        EnsureNotCompleted();
        if (providers.Exists(p => p.Provider == provider))
        {
            throw new InvalidOperationException($"{provider} is already configured for this OTP client.");
        }

        var clientName = Name is null ? $"OtpClients.{provider}" : $"OtpClients.{Name}.{provider}";
        var options = Services.AddOptions<TOptions>(clientName);
        configureOptions(options);
        options.ValidateOnStart();
        Services.AddSingleton<IValidateOptions<TOptions>>(new OtpProviderOptionsValidator<TOptions>(clientName));

        var http = Services.AddHttpClient(clientName)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(clientName).BaseAddress)
            .AddOtpResilience<TOptions>(provider)
            .RemoveAllLoggers(); // IHttpClientFactory would log the URI (AMM's check carries the code there); the clients log each exchange, redacted, at Debug.

        IOtpClient Factory(IServiceProvider sp) => create(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(clientName),
            sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(clientName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>());

        if (Name is null)
        {
            Services.TryAddTransient(sp => (TClient)Factory(sp));
        }
        else
        {
            Services.AddKeyedTransient(Name, (sp, _) => (TClient)Factory(sp));
        }

        providers.Add((provider, Factory, http));
        return http;
    }

    private void EnsureNotCompleted()
    {
        if (completed)
        {
            throw new InvalidOperationException("This OTP client is already registered: configure its providers inside the AddOtpClient callback.");
        }
    }
}
