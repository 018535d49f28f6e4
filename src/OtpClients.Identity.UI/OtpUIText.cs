namespace OtpClients.Identity.UI;

/// <summary>What a failed send or check means to the user, in a sentence for the page (never the number or the code).</summary>
internal static class OtpUIText
{
    public static string Describe(OtpError error) => error.Code switch
    {
        // The number's cooldown: one code was sent a moment ago (maybe by another page: confirming the phone, then signing
        // in). The page counts the seconds down (_OtpScripts).
        OtpErrorCode.RateLimited when error.ProviderCode == OtpClients.Guard.OtpGuardRules.Cooldown && error.RetryAfter is { } wait =>
            $"A code was texted to this phone a moment ago. You can ask for a new one in {Seconds(wait)}.",
        OtpErrorCode.RateLimited when error.RetryAfter is { } wait => $"Too many codes were requested. Try again in {Seconds(wait)}.",
        OtpErrorCode.RateLimited => "Too many codes were requested. Try again later.",
        OtpErrorCode.Blocked => "Text messages to this number are not allowed.",
        OtpErrorCode.InvalidRequest or OtpErrorCode.InvalidPhoneNumber => "This phone number cannot receive a code.",
        OtpErrorCode.ProviderUnavailable or OtpErrorCode.Timeout or OtpErrorCode.NetworkError => "The SMS service is unavailable right now. Try again in a minute.",
        _ => $"The SMS service failed ({error.Code}). Try again in a minute.",
    };

    /// <summary>The hint under a phone field: the national form when the app reads national numbers (<c>DefaultRegion</c>).</summary>
    public static string PhoneHint(string? defaultRegion) =>
        defaultRegion is not null && PhoneNumber.Example(defaultRegion) is { } example
            ? $"Such as {example.ToNationalFormat()}, or with the country code. We text a code to it."
            : $"With the country code, such as {InternationalExample}. We text a code to it.";

    /// <summary>What a typed number that is not one means, in the words of the hint.</summary>
    public static string PhoneError(string problem, string? defaultRegion) =>
        defaultRegion is null && problem.StartsWith("The phone number has no country code", StringComparison.Ordinal)
            ? $"Add the country code, such as {InternationalExample}."
            : "That is not a phone number: " + problem;

    private const string InternationalExample = "+972 52 555 0001";

    /// <summary>A stored number as its owner reads it (<c>+39 348 123 4567</c>), or <see langword="null"/> without one.</summary>
    public static string? Readable(string? e164) =>
        e164 is not null && PhoneNumber.TryParse(e164, out var number) ? number.ToInternationalFormat() : e164;

    private static string Seconds(TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return seconds == 1 ? "1 second" : $"{seconds} seconds";
    }

    public static string Describe(OtpVerificationStatus? status) => status switch
    {
        OtpVerificationStatus.Expired => "That code has expired. Send a new one.",
        OtpVerificationStatus.TooManyAttempts => "Too many attempts on that code. Send a new one.",
        OtpVerificationStatus.AlreadyUsed or OtpVerificationStatus.Cancelled or OtpVerificationStatus.NotFound => "No code is waiting. Send a new one.",
        _ => "That code is not right.",
    };
}
