using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace OtpClients.DependencyInjection;

/// <summary>
/// The providers this process knows by name without being told in code: the ones built into this package (each
/// provider folder registers its descriptor with a module initializer) and any other registered through
/// <c>AddOtpProvider</c> or <c>AddProvider</c>. Configuration (<c>Provider</c>, <c>Failover</c>) resolves names here,
/// and message templates refuse every known provider's native placeholder.
/// </summary>
internal static class OtpProviderCatalog
{
    private static readonly ConcurrentDictionary<string, OtpProviderDescriptor> Descriptors = new(StringComparer.OrdinalIgnoreCase);
    private static volatile string[] placeholders = [];

    /// <summary>Gets the native placeholders of every known provider.</summary>
    public static IReadOnlyList<string> NativePlaceholders => placeholders;

    /// <summary>Gets the known providers.</summary>
    public static IReadOnlyCollection<OtpProviderDescriptor> All => [.. Descriptors.Values.Distinct()];

    /// <summary>Makes a provider known; the same descriptor twice is a no-op.</summary>
    /// <exception cref="InvalidOperationException">Another provider already has that name.</exception>
    public static void Register(OtpProviderDescriptor descriptor)
    {
        var existing = Descriptors.GetOrAdd(descriptor.Name, descriptor);
        if (!ReferenceEquals(existing, descriptor) && !existing.ConfigurationSectionName.Equals(descriptor.ConfigurationSectionName, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Another OTP provider is already registered under the name '{descriptor.Name}'.");
        }

        if (descriptor.NativePlaceholders.Count > 0)
        {
            lock (Descriptors)
            {
                placeholders = [.. placeholders.Union(descriptor.NativePlaceholders, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Finds a provider by any of its names, among <paramref name="extra"/> first, then the known ones.</summary>
    public static OtpProviderDescriptor? Find(string? name, IEnumerable<OtpProviderDescriptor> extra)
    {
        foreach (var descriptor in extra)
        {
            if (descriptor.Matches(name))
            {
                return descriptor;
            }
        }

        foreach (var descriptor in Descriptors.Values)
        {
            if (descriptor.Matches(name))
            {
                return descriptor;
            }
        }

        return null;
    }

    /// <summary>Lists the known section names, for error messages: <c>"A, B or C"</c>.</summary>
    public static string DescribeKnown(IEnumerable<OtpProviderDescriptor> extra)
    {
        var names = extra.Concat(Descriptors.Values).Select(d => d.ConfigurationSectionName).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        return names.Length switch
        {
            0 => "(none known)",
            1 => names[0],
            _ => string.Join(", ", names[..^1]) + " or " + names[^1],
        };
    }
}
