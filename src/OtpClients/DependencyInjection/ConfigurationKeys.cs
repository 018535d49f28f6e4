using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace OtpClients.DependencyInjection;

/// <summary>
/// Refuses configuration keys that bind to nothing. The binder ignores them, so a misspelt sandbox switch would leave
/// the sandbox off and send real, billed SMS: the app must not start. Each message names the full configuration path
/// and, where one is close, the valid key meant.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Checks a section against the settable (or nested) public properties of an options type, recursively.</summary>
    /// <exception cref="InvalidOperationException">A key binds to nothing; the message lists every such key.</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Nested options types are bound by the configuration binder's source generator, which references every public property, so the trimmer keeps them.")]
    public static void ThrowIfUnknown([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type optionsType, IConfiguration section)
    {
        var errors = new List<string>();
        Check(optionsType, section, errors);
        Throw(errors);
    }

    /// <summary>Checks the keys of a section against a fixed list of names.</summary>
    /// <exception cref="InvalidOperationException">A key is not in the list.</exception>
    public static void ThrowIfUnknown(IConfiguration section, IReadOnlyCollection<string> known)
    {
        var errors = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(Unknown(child, known));
            }
        }

        Throw(errors);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "See ThrowIfUnknown: the binder's generated code keeps the nested options types' properties.")]
    private static void Check([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, IConfiguration section, List<string> errors)
    {
        var properties = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // The binder sets a property with a public setter, and binds into what a getter returns (options objects, collections).
            if (property.GetIndexParameters().Length == 0 && (property.SetMethod?.IsPublic == true || (!property.PropertyType.IsValueType && property.PropertyType != typeof(string))))
            {
                properties[property.Name] = property;
            }
        }

        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
            {
                errors.Add(Unknown(child, properties.Keys));
            }
            else if (IsNested(property.PropertyType))
            {
                Check(property.PropertyType, child, errors);
            }
        }
    }

    /// <summary>An options object bound member by member (not a value, a string, a URI or a collection).</summary>
    private static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static string Unknown(IConfigurationSection key, IEnumerable<string> known)
    {
        var parent = key.Path[..^key.Key.Length];
        var closest = Closest(key.Key, known);
        return closest is null
            ? $"{key.Path} is not a setting; a misspelt setting would be ignored."
            : $"{key.Path} is not a setting (did you mean {parent}{closest}?); a misspelt setting would be ignored.";
    }

    /// <summary>
    /// Gets or sets where unknown keys are collected instead of thrown, while a whole configuration is read: every
    /// misspelt key of every OTP section is then reported in one start, not one section per start.
    /// </summary>
    [ThreadStatic]
    internal static List<string>? Collector;

    private static void Throw(List<string> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        if (Collector is { } collector)
        {
            collector.AddRange(errors);
            return;
        }

        throw new InvalidOperationException(string.Join(" ", errors));
    }

    /// <summary>The valid key nearest to a misspelt one (edit distance, case ignored), if one is near enough to be meant.</summary>
    internal static string? Closest(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(key.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, best.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
