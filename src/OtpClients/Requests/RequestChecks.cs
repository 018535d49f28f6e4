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

    /// <summary>Tells whether a provider id (challenge id, verify_id, unique) is 1 to <see cref="MaxChallengeIdLength"/> characters without white space or control characters.</summary>
    public static bool IsWellFormedId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= MaxChallengeIdLength } && !id.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    /// <summary>
    /// Checks that a challenge belongs to this provider and is well formed, and parses its phone number.
    /// </summary>
    public static OtpError? CheckChallenge(OtpChallenge challenge, string providerName, out PhoneNumber? phone)
    {
        phone = null;
        if (!string.Equals(challenge.ProviderName, providerName, StringComparison.OrdinalIgnoreCase))
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

    /// <summary>Checks an optional client IP address.</summary>
    public static OtpError? CheckIpAddress(string? ipAddress) =>
        ipAddress is null || IPAddress.TryParse(ipAddress, out _) && ipAddress.Length <= 64
            ? null
            : InvalidRequest($"{nameof(OtpVerifyRequest.ClientIpAddress)} is not an IPv4 or IPv6 address.");

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
