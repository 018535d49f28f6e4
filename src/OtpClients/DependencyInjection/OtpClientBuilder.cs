using Microsoft.Extensions.Configuration;
using OtpClients;
using OtpClients.DependencyInjection;

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

    /// <summary>The name of this registration's guard and session options.</summary>
    private string OptionsName => Name ?? Options.Options.DefaultName;

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
