using System.Net;
using System.Net.Sockets;
using OtpClients.Failover;

namespace OtpClients.Guard;

/// <summary>
/// The send guard's options read once: region and number lists as sets, and the validation every setting goes
/// through at start. Shared by every <see cref="SendGuardOtpClient"/> of one registration.
/// </summary>
internal sealed class SendGuardPolicy
{
    public SendGuardPolicy(OtpSendGuardOptions options, string scope)
    {
        Options = options;
        Scope = scope;
        AllowedRegions = new HashSet<string>(options.AllowedRegions.Select(r => r.Trim().ToUpperInvariant()), StringComparer.Ordinal);
        BlockedRegions = new HashSet<string>(options.BlockedRegions.Select(r => r.Trim().ToUpperInvariant()), StringComparer.Ordinal);
        BlockedNumbers = new HashSet<string>(options.BlockedNumbers.Select(n => PhoneNumber.TryParse(n, out var p) ? p.E164 : n), StringComparer.Ordinal);
    }

    public OtpSendGuardOptions Options { get; }

    /// <summary>Gets the prefix of every counter key: the registration, so that keyed clients keep their own budgets.</summary>
    public string Scope { get; }

    public HashSet<string> AllowedRegions { get; }

    public HashSet<string> BlockedRegions { get; }

    public HashSet<string> BlockedNumbers { get; }

    /// <summary>
    /// Whether a failed send or check surely did nothing at the provider, so what the guard and the sessions counted for
    /// it is given back: transient (an outage, an open circuit, the provider's throttling), not
    /// <see cref="OtpError.MayHaveBeenAccepted"/>, and not a per-recipient limit (a refusal on the recipient's account,
    /// which the cooldown should keep honouring).
    /// </summary>
    public static bool NothingWasDone(OtpError? error) =>
        error is { IsTransient: true, MayHaveBeenAccepted: false, IsRecipientLimit: false };

    /// <summary>The key an IP address counts under: IPv4 whole, IPv6 by its /64 prefix (one subscriber's usual share).</summary>
    public static string IpKey(string canonical)
    {
        var text = canonical.AsSpan();
        var percent = text.IndexOf('%');
        if (percent >= 0)
        {
            text = text[..percent];
        }

        if (!IPAddress.TryParse(text, out var address))
        {
            return canonical;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>Checks the options; each message names the setting under <paramref name="path"/>.</summary>
    public static List<string> Validate(OtpSendGuardOptions options, string path)
    {
        var errors = new List<string>();
        void Window(int limit, TimeSpan window, string limitName, string windowName)
        {
            if (limit < 0)
            {
                errors.Add($"{path}:{limitName} must be 0 (off) or more; it is {limit}.");
            }
            else if (limit > 0 && (window <= TimeSpan.Zero || window > TimeSpan.FromDays(31)))
            {
                errors.Add($"{path}:{windowName} must be more than zero and at most 31 days; it is {window}.");
            }
        }

        if (options.Cooldown < TimeSpan.Zero || options.Cooldown > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:Cooldown must be from 0 (off) to 1 day; it is {options.Cooldown}.");
        }

        Window(options.MaxSendsPerNumber, options.NumberWindow, nameof(options.MaxSendsPerNumber), nameof(options.NumberWindow));
        Window(options.MaxSendsPerIp, options.IpWindow, nameof(options.MaxSendsPerIp), nameof(options.IpWindow));
        Window(options.MaxRegionsPerIp, options.RegionsPerIpWindow, nameof(options.MaxRegionsPerIp), nameof(options.RegionsPerIpWindow));
        Window(options.MaxSendsPerRegion, options.RegionWindow, nameof(options.MaxSendsPerRegion), nameof(options.RegionWindow));
        if (options.MaxSendsPerHour < 0)
        {
            errors.Add($"{path}:MaxSendsPerHour must be 0 (off) or more; it is {options.MaxSendsPerHour}.");
        }

        if (options.MaxVerifyAttempts is < 0 or > 1000)
        {
            errors.Add($"{path}:MaxVerifyAttempts must be from 0 (off) to 1000; it is {options.MaxVerifyAttempts}.");
        }

        void Regions(IList<string> regions, string name)
        {
            for (var i = 0; i < regions.Count; i++)
            {
                if (!OtpRoutes.IsRegionCode(regions[i]?.Trim().ToUpperInvariant()))
                {
                    errors.Add($"{path}:{name}:{i} '{regions[i]}' is not a region code: use ISO 3166-1 alpha-2 codes such as IL or IT.");
                }
            }
        }

        Regions(options.AllowedRegions, nameof(options.AllowedRegions));
        Regions(options.BlockedRegions, nameof(options.BlockedRegions));
        var both = options.AllowedRegions.Select(r => r?.Trim().ToUpperInvariant()).Intersect(options.BlockedRegions.Select(r => r?.Trim().ToUpperInvariant())).ToList();
        if (both.Count > 0)
        {
            errors.Add($"{path}:AllowedRegions and {path}:BlockedRegions both name {string.Join(", ", both)}: keep each region in one list.");
        }

        for (var i = 0; i < options.BlockedNumbers.Count; i++)
        {
            if (!PhoneNumber.TryParse(options.BlockedNumbers[i], out _))
            {
                errors.Add($"{path}:BlockedNumbers:{i} is not a phone number in international form (+ and country code).");
            }
        }

        // Checked when off too: a bad value fails at start, not on the day the rule is turned on.
        var conversion = options.Conversion;
        if (conversion.Window <= TimeSpan.Zero || conversion.Window > TimeSpan.FromDays(31))
        {
            errors.Add($"{path}:Conversion:Window must be more than zero and at most 31 days; it is {conversion.Window}.");
        }

        if (conversion.GracePeriod < TimeSpan.Zero || conversion.GracePeriod >= conversion.Window)
        {
            errors.Add($"{path}:Conversion:GracePeriod must be 0 or more and shorter than {path}:Conversion:Window; it is {conversion.GracePeriod}.");
        }

        if (conversion.MinSends < 1)
        {
            errors.Add($"{path}:Conversion:MinSends must be 1 or more; it is {conversion.MinSends}.");
        }

        if (!(conversion.MaxUnverifiedRatio is > 0 and <= 1))
        {
            errors.Add($"{path}:Conversion:MaxUnverifiedRatio must be more than 0 and at most 1; it is {conversion.MaxUnverifiedRatio}.");
        }

        if (!Enum.IsDefined(options.OnStoreFailure))
        {
            errors.Add($"{path}:OnStoreFailure must be FailClosed or FailOpen; it is {options.OnStoreFailure}.");
        }

        return errors;
    }
}
