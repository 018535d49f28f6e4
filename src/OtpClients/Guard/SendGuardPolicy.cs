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
    private readonly HashSet<string> checksByNumber;
    private readonly bool allowPremiumRate;
    private readonly bool allowSharedCost;
    private readonly bool allowNonGeographic;

    public SendGuardPolicy(OtpSendGuardOptions options, string scope, IEnumerable<string>? providersThatCheckByNumber = null)
    {
        Options = options;
        Scope = scope;
        checksByNumber = new HashSet<string>(providersThatCheckByNumber ?? [], StringComparer.Ordinal);
        var allowedTypes = options.AllowedNumberTypes.Select(t => t?.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        allowPremiumRate = allowedTypes.Contains("PremiumRate");
        allowSharedCost = allowedTypes.Contains("SharedCost");
        allowNonGeographic = allowedTypes.Contains("NonGeographic");
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
    /// The blocked type of a number (<c>PremiumRate</c>, <c>SharedCost</c>, <c>NonGeographic</c>), or <see langword="null"/>
    /// when its type may be sent to. A number of no region is non-geographic whatever its type.
    /// </summary>
    public string? BlockedTypeOf(PhoneNumber number)
    {
        if (number.RegionCode is null)
        {
            return allowNonGeographic ? null : "NonGeographic";
        }

        return number.NumberType switch
        {
            PhoneNumbers.PhoneNumberType.PREMIUM_RATE when !allowPremiumRate => "PremiumRate",
            PhoneNumbers.PhoneNumberType.SHARED_COST when !allowSharedCost => "SharedCost",
            _ => null,
        };
    }

    /// <summary>
    /// The key verify attempts count under: the provider and its challenge id in canonical form, or the provider and the
    /// number for a provider that checks by number (it ignores the id, so a rewritten id must not give fresh attempts).
    /// </summary>
    public string VerifyKey(OtpChallenge challenge, PhoneNumber? number) =>
        checksByNumber.Contains(challenge.ProviderName)
            ? challenge.ProviderName + ":n:" + (number?.E164 ?? challenge.PhoneNumber)
            : challenge.ProviderName + ":c:" + CanonicalChallengeId(challenge.Id);

    /// <summary>
    /// A challenge id in the form that spellings of one id share: trimmed, upper case, and a number without its sign and
    /// leading zeros (iP1 reads <c>000123</c> as <c>123</c>). Merging ids that differ only so can only make the count
    /// stricter, never looser.
    /// </summary>
    public static string CanonicalChallengeId(string id)
    {
        var text = id.AsSpan().Trim();
        var digits = text.StartsWith("+") ? text[1..] : text;
        if (digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9'))
        {
            var significant = digits.TrimStart('0');
            return significant.IsEmpty ? "0" : significant.ToString();
        }

        return text.ToString().ToUpperInvariant();
    }

    /// <summary>
    /// Whether a failed send or check surely did nothing at the provider, so what the guard and the sessions counted for
    /// it is given back: transient (an outage, an open circuit, the provider's throttling), not
    /// <see cref="OtpError.MayHaveBeenAccepted"/>, and not a per-recipient limit (a refusal on the recipient's account,
    /// which the cooldown should keep honouring).
    /// </summary>
    public static bool NothingWasDone(OtpError? error) =>
        error is { IsTransient: true, MayHaveBeenAccepted: false, IsRecipientLimit: false };

    /// <summary>
    /// The keys a client IP counts under. IPv4: the address (<see cref="OtpIpKeys.Address"/>) and its /24
    /// (<see cref="OtpIpKeys.Prefix"/>). IPv6: its /64 (one subscriber's usual share), /56 and /48 (a site's), the /48 being
    /// its prefix. An IPv6 address that carries an IPv4 address — IPv4-mapped (<c>::ffff:0:0/96</c>), 6to4
    /// (<c>2002::/16</c>), NAT64 (<c>64:ff9b::/96</c>, <c>64:ff9b:1::/48</c>) or Teredo (<c>2001::/32</c>) — counts as that
    /// IPv4 address: another spelling of an exhausted address gets no fresh budget.
    /// </summary>
    public static OtpIpKeys IpKeys(string canonical)
    {
        var text = canonical.AsSpan();
        var percent = text.IndexOf('%');
        if (percent >= 0)
        {
            text = text[..percent];
        }

        if (!IPAddress.TryParse(text, out var address))
        {
            return new OtpIpKeys(canonical, canonical, null, null);
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } embedded)
        {
            address = embedded;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            address.TryWriteBytes(bytes, out _);
            bytes[3] = 0;
            return new OtpIpKeys(address.ToString(), new IPAddress(bytes[..4]).ToString() + "/24", null, null);
        }

        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        var slash64 = new IPAddress(bytes).ToString() + "/64";
        bytes[7] = 0;
        var slash56 = new IPAddress(bytes).ToString() + "/56";
        bytes[6] = 0;
        var slash48 = new IPAddress(bytes).ToString() + "/48";
        return new OtpIpKeys(slash64, slash48, slash56, slash48);
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo); <see langword="null"/> for a native IPv6 address.</summary>
    internal static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b[2..6]); // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && (b[4..12].IndexOfAnyExcept((byte)0) < 0 || (b[4] == 0 && b[5] == 1)))
        {
            return new IPAddress(b[12..16]); // NAT64: 64:ff9b::/96 (RFC 6052) and 64:ff9b:1::/48 (RFC 8215) carry it in the last 32 bits
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            Span<byte> client = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
            {
                client[i] = (byte)~b[12 + i]; // Teredo: 2001::/32, the client's address inverted in the last 32 bits
            }

            return new IPAddress(client);
        }

        return null;
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
        Window(options.MaxSendsPerIpv6Prefix56, options.IpWindow, nameof(options.MaxSendsPerIpv6Prefix56), nameof(options.IpWindow));
        Window(options.MaxSendsPerIpv6Prefix48, options.IpWindow, nameof(options.MaxSendsPerIpv6Prefix48), nameof(options.IpWindow));
        Window(options.MaxFailedChecksPerIp, options.FailedChecksWindow, nameof(options.MaxFailedChecksPerIp), nameof(options.FailedChecksWindow));
        Window(options.MaxFailedChecksPerPrefix, options.FailedChecksWindow, nameof(options.MaxFailedChecksPerPrefix), nameof(options.FailedChecksWindow));
        for (var i = 0; i < options.AllowedNumberTypes.Count; i++)
        {
            if (!OtpSendGuardOptions.BlockableNumberTypes.Contains(options.AllowedNumberTypes[i]?.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:AllowedNumberTypes:{i} '{options.AllowedNumberTypes[i]}' is not a number type the guard blocks: use {string.Join(", ", OtpSendGuardOptions.BlockableNumberTypes)}.");
            }
        }

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
                if (regions[i]?.Trim() is "001" or "ZZ")
                {
                    errors.Add($"{path}:{name}:{i} '{regions[i]}' is not a region: numbers of no region (satellite, international networks, freephone) are blocked by default; allow them with {path}:AllowedNumberTypes NonGeographic.");
                }
                else if (!OtpRoutes.IsRegionCode(regions[i]?.Trim().ToUpperInvariant()))
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

/// <summary>The keys one client IP counts under.</summary>
/// <param name="Address">The address's own key: an IPv4 address, or an IPv6 /64.</param>
/// <param name="Prefix">The network it belongs to: an IPv4 /24 or an IPv6 /48 (for the conversion rule and failed checks).</param>
/// <param name="Slash56">The IPv6 /56; <see langword="null"/> for IPv4.</param>
/// <param name="Slash48">The IPv6 /48; <see langword="null"/> for IPv4.</param>
internal readonly record struct OtpIpKeys(string Address, string Prefix, string? Slash56, string? Slash48);
