using System.Globalization;
using System.Net;

namespace OtpClients;

/// <summary>The checks every provider client runs on a request before any HTTP call.</summary>
internal static class RequestChecks
{
    /// <summary>The longest code accepted from a user; longer input cannot be any provider's code.</summary>
    public const int MaxCodeLength = 32;

    /// <summary>The longest challenge id accepted.</summary>
    public const int MaxChallengeIdLength = 128;

    public static OtpError InvalidRequest(string message) => new(OtpErrorCode.InvalidRequest, message);

    public static OtpError NotSupported(string message) => new(OtpErrorCode.NotSupported, message);

    /// <summary>The refusal of a channel an SMS-only provider does not offer (a route then moves on to one that does).</summary>
    public static OtpError? SmsOnly(OtpSendRequest request, string provider) =>
        request.Channel == OtpChannel.Sms ? null : NotSupported($"{provider} does not offer {Failover.ChannelOtpClient.Describe(request.Channel)}; it offers SMS.");

    /// <summary>Parses the recipient; the error names <see cref="OtpSendRequest.PhoneNumber"/>.</summary>
    public static OtpError? ParsePhone(string? phone, out PhoneNumber? number, string field = nameof(OtpSendRequest.PhoneNumber)) =>
        PhoneNumber.TryParse(phone, out number, out var error) ? null : new OtpError(OtpErrorCode.InvalidPhoneNumber, $"{field}: {error}");

    /// <summary>Parses the message template; the error names <see cref="OtpSendRequest.MessageTemplate"/>.</summary>
    public static OtpError? ParseTemplate(string? template, out MessageTemplate? parsed) =>
        MessageTemplate.TryParse(template, out parsed, out var error) ? null : new OtpError(OtpErrorCode.InvalidMessage, $"{nameof(OtpSendRequest.MessageTemplate)}: {error}");

    /// <summary>Checks a requested code length against a provider's range.</summary>
    public static OtpError? CheckCodeLength(int? length, int min, int max, string provider) =>
        length is { } value && (value < min || value > max)
            ? InvalidRequest($"{nameof(OtpSendRequest.CodeLength)} must be between {min} and {max} for {provider} (was {value}).")
            : null;

    /// <summary>Checks a requested time to live: whole seconds within a provider's range.</summary>
    public static OtpError? CheckTimeToLive(TimeSpan? ttl, TimeSpan min, TimeSpan max, string provider, out int? seconds)
    {
        seconds = null;
        if (ttl is not { } value)
        {
            return null;
        }

        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return InvalidRequest($"{nameof(OtpSendRequest.TimeToLive)} must be whole seconds for {provider} (was {value}).");
        }

        if (value < min || value > max)
        {
            var range = max == TimeSpan.MaxValue ? $"at least {min.TotalSeconds:0} s" : $"between {min.TotalSeconds:0} s and {max.TotalSeconds:0} s";
            return InvalidRequest($"{nameof(OtpSendRequest.TimeToLive)} must be {range} for {provider} (was {value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s).");
        }

        if (value.TotalSeconds > int.MaxValue)
        {
            return InvalidRequest($"{nameof(OtpSendRequest.TimeToLive)} is too long for {provider}.");
        }

        seconds = (int)value.TotalSeconds;
        return null;
    }

    /// <summary>
    /// Tells whether a provider id (challenge id, verify_id, unique) is 1 to <see cref="MaxChallengeIdLength"/> characters
    /// without white space, control characters or invisible format characters (U+200B, U+202E, …, which could spoof a
    /// log line), and without unpaired surrogates.
    /// </summary>
    public static bool IsWellFormedId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id)
    {
        if (id is not { Length: > 0 and <= MaxChallengeIdLength })
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsControl(c) || char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(id, i) == UnicodeCategory.Format)
                {
                    return false;
                }

                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Checks that a challenge belongs to this provider and is well formed, and parses its phone number.
    /// </summary>
    public static OtpError? CheckChallenge(OtpChallenge challenge, string providerName, out PhoneNumber? phone)
    {
        phone = null;
        if (!string.Equals(challenge.ProviderName, providerName, StringComparison.Ordinal))
        {
            return InvalidRequest($"Challenge.ProviderName is '{Printable(challenge.ProviderName)}', but this client talks to {providerName}: verify with the client of the provider that sent the code.");
        }

        if (!IsWellFormedId(challenge.Id))
        {
            return InvalidRequest($"Challenge.Id is missing or malformed (1 to {MaxChallengeIdLength} characters, no white space).");
        }

        // A challenge's number was valid when the code was sent: a bad one means the challenge was altered or corrupted.
        return ParsePhone(challenge.PhoneNumber, out phone, "Challenge.PhoneNumber") is { } phoneError
            ? InvalidRequest(phoneError.Message)
            : null;
    }

    /// <summary>
    /// Normalizes the code a user typed: drops white space and dashes (<c>" 123-456 "</c> → <c>"123456"</c>) and reads
    /// decimal digits of any script as ASCII digits. Returns <see langword="false"/> when the result cannot be a code
    /// (empty, longer than <see cref="MaxCodeLength"/>, or holding anything but letters and digits).
    /// </summary>
    public static bool TryNormalizeCode(string code, out string normalized)
    {
        normalized = string.Empty;
        if (code.Length > MaxCodeLength * 4)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[MaxCodeLength];
        var length = 0;
        foreach (var c in code)
        {
            if (char.IsWhiteSpace(c) || c == '-')
            {
                continue;
            }

            if (length == MaxCodeLength)
            {
                return false;
            }

            var digit = CharUnicodeInfo.GetDecimalDigitValue(c);
            if (digit >= 0)
            {
                buffer[length++] = (char)('0' + digit);
            }
            else if (char.IsAsciiLetter(c))
            {
                buffer[length++] = c;
            }
            else
            {
                return false;
            }
        }

        if (length == 0)
        {
            return false;
        }

        normalized = new string(buffer[..length]);
        return true;
    }

    /// <summary>
    /// Checks an optional client IP address and returns it in canonical form (<see cref="IPAddress.ToString"/>). Only the
    /// standard forms are accepted: IPv4 as four decimal parts without leading zeros (<c>017.0.0.1</c> reads as octal in
    /// some parsers, <c>127.1</c> and bare integers such as <c>2130706433</c> are refused), IPv6 with an optional scope
    /// that is an interface name or number (<c>fe80::1%eth0</c>, <c>fe80::1%3</c>).
    /// </summary>
    public static OtpError? CheckIpAddress(string? ipAddress, out string? canonical, string field = nameof(OtpVerifyRequest) + "." + nameof(OtpVerifyRequest.ClientIpAddress))
    {
        canonical = null;
        if (ipAddress is null)
        {
            return null;
        }

        if (TryCanonicalIp(ipAddress, out var value))
        {
            canonical = value;
            return null;
        }

        return InvalidRequest($"{field[(field.IndexOf('.') + 1)..]} is not an IPv4 address in dotted decimal (a.b.c.d, no leading zeros) or an IPv6 address (an optional scope is an interface name or number).");
    }

    /// <summary>Parses an IP address written in a standard form and returns its canonical text.</summary>
    public static bool TryCanonicalIp(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? canonical)
    {
        canonical = null;
        if (text.Length is 0 or > 64)
        {
            return false;
        }

        var address = text.AsSpan();
        var percent = address.IndexOf('%');
        if (text.Contains(':'))
        {
            if (percent >= 0)
            {
                var scope = address[(percent + 1)..];
                if (scope.Length is 0 or > 32 || scope.ContainsAnyExcept(ScopeCharacters))
                {
                    return false;
                }

                address = address[..percent];
            }

            if (address.ContainsAnyExcept(Ipv6Characters))
            {
                return false;
            }

            // An embedded IPv4 tail (::ffff:192.0.2.1) follows the IPv4 rules.
            var lastColon = address.LastIndexOf(':');
            if (address[(lastColon + 1)..].Contains('.') && !IsDottedDecimal(address[(lastColon + 1)..]))
            {
                return false;
            }
        }
        else if (percent >= 0 || !IsDottedDecimal(address))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        canonical = parsed.ToString();
        return true;
    }

    /// <summary>Masks an IP address for printing: the first two parts of IPv4, the first two groups of IPv6.</summary>
    public static string? MaskIp(string? ipAddress)
    {
        if (ipAddress is null)
        {
            return null;
        }

        if (!TryCanonicalIp(ipAddress, out var canonical))
        {
            return "***";
        }

        var separator = canonical.Contains(':') ? ':' : '.';
        var parts = canonical.Split('%')[0].Split(separator);
        return parts.Length >= 2 ? $"{parts[0]}{separator}{parts[1]}{separator}***" : "***";
    }

    private static readonly System.Buffers.SearchValues<char> ScopeCharacters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
    private static readonly System.Buffers.SearchValues<char> Ipv6Characters = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:.");

    private static bool IsDottedDecimal(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (part.Length is 0 or > 3 || !char.IsAsciiDigit(part[0]) || part.Length > 1 && part[0] == '0'
                || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }

    /// <summary>Validates the code and returns a verify result when it cannot be a code, so no HTTP call is made.</summary>
    public static OtpVerifyResult? CheckCode(OtpVerifyRequest request, out string code)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Challenge, "request.Challenge");
        ArgumentNullException.ThrowIfNull(request.Code, "request.Code");
        return TryNormalizeCode(request.Code, out code) ? null : OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode);
    }

    private static string Printable(string? value) =>
        value is null ? "null" : value.Length > 32 || value.Any(char.IsControl) ? "(malformed)" : value;
}
