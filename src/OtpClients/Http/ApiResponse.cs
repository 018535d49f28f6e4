namespace OtpClients.Http;

/// <summary>
/// What one call to a provider endpoint gave: a transport failure, or an HTTP status with the body parsed into the
/// success type (2xx) or the provider's error type (other statuses). The shape Refit's <c>ApiResponse&lt;T&gt;</c> has.
/// </summary>
/// <typeparam name="TContent">The success body.</typeparam>
/// <typeparam name="TError">The provider's error body.</typeparam>
internal readonly struct ApiResponse<TContent, TError>
    where TContent : class
    where TError : class
{
    /// <summary>Gets the failure that prevented an HTTP answer (timeout, network, open circuit, answer too large).</summary>
    public OtpError? TransportError { get; init; }

    /// <summary>Gets the HTTP status code; 0 when <see cref="TransportError"/> is set.</summary>
    public int StatusCode { get; init; }

    /// <summary>Gets a value indicating whether the status is 2xx.</summary>
    public bool IsSuccessStatusCode => StatusCode is >= 200 and <= 299;

    /// <summary>Gets the parsed success body, for a 2xx whose body parsed.</summary>
    public TContent? Content { get; init; }

    /// <summary>Gets the parsed error body, for a non-2xx whose body parsed as the provider's error shape.</summary>
    public TError? ErrorContent { get; init; }

    /// <summary>Gets a value indicating whether the body was empty (or white space).</summary>
    public bool IsBodyEmpty { get; init; }

    /// <summary>Gets the <c>Retry-After</c> the provider sent, if any.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the media type of the body, if any.</summary>
    public string? MediaType { get; init; }
}
