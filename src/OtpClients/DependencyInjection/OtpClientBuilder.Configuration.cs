using Microsoft.Extensions.Configuration;
using OtpClients;
using OtpClients.Delivery;
using OtpClients.DependencyInjection;
using OtpClients.Failover;
using OtpClients.Guard;
using OtpClients.Messages;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The OTP client builder's configuration: AddOtpClient(configuration) reads the Otp section.</summary>
public sealed partial class OtpClientBuilder
{
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
}
