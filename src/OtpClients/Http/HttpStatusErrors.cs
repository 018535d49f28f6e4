namespace OtpClients.Http;

/// <summary>
/// The fallback table from an HTTP status to an <see cref="OtpError"/>, for answers that carry no provider
/// error code the provider's own table knows. Each provider table is consulted first.
/// </summary>
internal static class HttpStatusErrors
{
    /// <summary>Maps a non-2xx status to an error.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="operation">The operation, for the message and for whether the provider may have acted.</param>
    /// <param name="retryAfter">The provider's <c>Retry-After</c>, if any.</param>
    /// <param name="providerCode">The provider's raw code, if any.</param>
    public static OtpError FromStatus(int status, OtpOperation operation, TimeSpan? retryAfter = null, string? providerCode = null)
    {
        var accepted = operation.MayBeAcceptedOnFailure;
        var (code, transient, mayHaveBeenAccepted, text) = status switch
        {
            400 => (OtpErrorCode.InvalidRequest, false, false, "the provider refused the request as invalid"),
            401 => (OtpErrorCode.Unauthorized, false, false, "the provider refused the credentials"),
            402 => (OtpErrorCode.InsufficientCredit, false, false, "the provider account has no credit"),
            403 => (OtpErrorCode.Unauthorized, false, false, "the provider refused access"),
            404 => (OtpErrorCode.NotFound, false, false, "the provider does not know the resource"),
            405 => (OtpErrorCode.ProviderError, false, false, "the provider does not allow this HTTP method here (check BaseAddress and paths)"),
            408 => (OtpErrorCode.Timeout, true, accepted, "the provider timed out reading the request"),
            413 or 414 or 415 or 422 => (OtpErrorCode.InvalidRequest, false, false, "the provider refused the request"),
            429 => (OtpErrorCode.RateLimited, true, false, "the provider throttled the request"),
            503 => (OtpErrorCode.ProviderUnavailable, true, false, "the provider is unavailable"),
            502 or 504 => (OtpErrorCode.ProviderUnavailable, true, accepted, "a gateway in front of the provider failed"),
            >= 500 => (OtpErrorCode.ProviderError, true, accepted, "the provider failed"),
            >= 300 and < 400 => (OtpErrorCode.UnexpectedResponse, false, false, "the provider answered with a redirect, which is not followed (credentials never follow a redirect)"),
            _ => (OtpErrorCode.UnexpectedResponse, false, accepted, "the provider answered with an unexpected status"),
        };

        return new OtpError(code, $"{operation}: {text} (HTTP {status}).")
        {
            HttpStatusCode = status,
            IsTransient = transient,
            MayHaveBeenAccepted = mayHaveBeenAccepted,
            ProviderCode = providerCode,
            RetryAfter = retryAfter,
        };
    }

    /// <summary>An error for a 2xx answer whose body could not be read as the documented shape.</summary>
    public static OtpError Unreadable(int status, OtpOperation operation, string what) =>
        new(OtpErrorCode.UnexpectedResponse, $"{operation}: {what} (HTTP {status}).")
        {
            HttpStatusCode = status,
            MayHaveBeenAccepted = operation.MayBeAcceptedOnFailure,
        };
}
