namespace OtpClients;

/// <summary>Why an OTP operation failed.</summary>
/// <param name="Code">The provider-neutral kind of error.</param>
/// <param name="Message">
/// A human-readable explanation naming what is wrong. It never contains a code, a credential or a full phone
/// number, so it is safe to log; it is not meant to be shown to end users as is.
/// </param>
public sealed record OtpError(OtpErrorCode Code, string Message)
{
    /// <summary>Gets the raw value the provider answered (<c>"ANTISPAM"</c>, <c>"6"</c>, …), when there was one.</summary>
    public string? ProviderCode { get; init; }

    /// <summary>Gets the HTTP status code of the provider's answer, when there was one.</summary>
    public int? HttpStatusCode { get; init; }

    /// <summary>Gets a value indicating whether trying again later may succeed.</summary>
    public bool IsTransient { get; init; }

    /// <summary>
    /// Gets a value indicating whether the provider may have processed the request although it failed (a timeout
    /// after the request was written, a 5xx, an unreadable success answer). When <see langword="true"/>, never
    /// send again or fail over: the user may already have a code.
    /// </summary>
    public bool MayHaveBeenAccepted { get; init; }

    /// <summary>
    /// Gets a value indicating whether the refusal is a limit that protects this recipient (AMM's <c>ANTISPAM</c>, iP1's
    /// <c>ConcurrentLimit</c>), whatever the HTTP status. Such a refusal is never retried and never failed over: another
    /// provider would text the same person again. Wait for <see cref="RetryAfter"/> or let the user ask later.
    /// </summary>
    public bool IsRecipientLimit { get; init; }

    /// <summary>Gets how long the provider asked to wait before trying again (HTTP <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
