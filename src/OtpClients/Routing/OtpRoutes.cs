using PhoneNumbers;

namespace OtpClients.Failover;

/// <summary>Region codes for routing sends by country.</summary>
public static class OtpRoutes
{
    /// <summary>The key of the default route in configuration (<c>"Routes": {"*": [...]}</c>).</summary>
    public const string DefaultRegion = "*";

    private static readonly HashSet<string> Regions = new(PhoneNumberUtil.GetInstance().GetSupportedRegions(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Tells whether a text is a region code that phone numbers have (ISO 3166-1 alpha-2, such as <c>IL</c>; case-insensitive).</summary>
    /// <param name="regionCode">The text.</param>
    /// <returns><see langword="true"/> for a known region code.</returns>
    public static bool IsRegionCode(string? regionCode) => regionCode is { Length: 2 } && Regions.Contains(regionCode);
}
