namespace OtpClients;

/// <summary>The provider-neutral kind of an <see cref="OtpError"/>.</summary>
public enum OtpErrorCode
{
    /// <summary>The request is invalid (a setting out of the provider's range, a malformed challenge). Fix the request; do not retry it as is.</summary>
    InvalidRequest,

    /// <summary>The phone number is malformed, or the provider does not serve it (e.g. a provider that serves one country only).</summary>
    InvalidPhoneNumber,

    /// <summary>The sender is malformed, too long, missing where required, or not approved by the provider.</summary>
    InvalidSender,

    /// <summary>The message template is empty, lacks <c>{code}</c>, or was refused by the provider.</summary>
    InvalidMessage,

    /// <summary>The provider cannot honour a setting of the request (e.g. a fixed code length or time to live). Another provider may.</summary>
    NotSupported,

    /// <summary>The provider refused the credentials.</summary>
    Unauthorized,

    /// <summary>The provider account has no credit left.</summary>
    InsufficientCredit,

    /// <summary>The provider throttled the request (HTTP 429, or the provider's own anti-spam answer). Trying again later may succeed.</summary>
    RateLimited,

    /// <summary>The provider does not know the challenge or resource.</summary>
    NotFound,

    /// <summary>The provider reported an error of its own.</summary>
    ProviderError,

    /// <summary>The provider is unavailable (HTTP 503, or the circuit breaker is open). Another provider may serve the request.</summary>
    ProviderUnavailable,

    /// <summary>No answer came in time. Check <see cref="OtpError.MayHaveBeenAccepted"/> before doing anything again.</summary>
    Timeout,

    /// <summary>The network failed (name resolution, refused or dropped connection, TLS).</summary>
    NetworkError,

    /// <summary>The provider answered something the SDK cannot read (malformed, truncated, too large, an unknown status).</summary>
    UnexpectedResponse,

    /// <summary>
    /// The app's own policy refused the request before any HTTP call: the send guard's allowed or blocked regions, or
    /// a blocked number (see <c>OtpSendGuardOptions</c>). Trying again does not help; the message names the rule.
    /// </summary>
    Blocked,
}
