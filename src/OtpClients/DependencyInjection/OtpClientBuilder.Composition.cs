using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpClients;
using OtpClients.Delivery;
using OtpClients.DependencyInjection;
using OtpClients.Diagnostics;
using OtpClients.Failover;
using OtpClients.Guard;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The OTP client builder's composition: Complete() registers the IOtpClient and the sessions of the registration.</summary>
public sealed partial class OtpClientBuilder
{
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
}
