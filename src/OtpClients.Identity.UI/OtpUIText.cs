namespace OtpClients.Identity.UI;

/// <summary>What a failed send or check means to the user, in a sentence for the page (never the number or the code).</summary>
internal static class OtpUIText
{
    public static string Describe(OtpError error) => error.Code switch
    {
        OtpErrorCode.RateLimited when error.RetryAfter is { } wait => $"Too many codes were requested. Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.",
        OtpErrorCode.RateLimited => "Too many codes were requested. Try again later.",
        OtpErrorCode.Blocked => "Text messages to this number are not allowed.",
        OtpErrorCode.InvalidRequest or OtpErrorCode.InvalidPhoneNumber => "This phone number cannot receive a code.",
        OtpErrorCode.ProviderUnavailable or OtpErrorCode.Timeout or OtpErrorCode.NetworkError => "The SMS service is unavailable right now. Try again in a minute.",
        _ => $"The SMS service failed ({error.Code}). Try again in a minute.",
    };

    public static string Describe(OtpVerificationStatus? status) => status switch
    {
        OtpVerificationStatus.Expired => "That code has expired. Send a new one.",
        OtpVerificationStatus.TooManyAttempts => "Too many attempts on that code. Send a new one.",
        OtpVerificationStatus.AlreadyUsed or OtpVerificationStatus.Cancelled or OtpVerificationStatus.NotFound => "No code is waiting. Send a new one.",
        _ => "That code is not right.",
    };
}
