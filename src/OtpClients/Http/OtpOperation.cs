namespace OtpClients.Http;

/// <summary>
/// Describes one provider endpoint call: which provider, which operation, and whether it is a pure read. It travels on
/// the request, in <see cref="HttpRequestMessage.Options"/> under <see cref="PropertyKey"/>, for the resilience
/// handler of <c>AddOtpClient</c>: a pure read may be retried after any failure; any other call only when it certainly
/// did not reach the provider (a refused connection, 429, 503). The HTTP method does not tell: a check that is a GET
/// may still consume an attempt.
/// </summary>
/// <remarks>
/// A provider's Refit interface passes it with a parameter <c>[Property(OtpOperation.PropertyKey)] OtpOperation operation</c>.
/// A request without one is treated as not read-only: it is never sent twice when it may have reached the provider.
/// </remarks>
public sealed class OtpOperation
{
    /// <summary>The key of the request option that carries the operation: <c>OtpClients.Operation</c>.</summary>
    public const string PropertyKey = "OtpClients.Operation";

    /// <summary>The typed key of the request option that carries the operation.</summary>
    public static readonly HttpRequestOptionsKey<OtpOperation> OptionsKey = new(PropertyKey);

    /// <summary>Creates an operation.</summary>
    /// <param name="providerName">The provider name (<see cref="IOtpClient.ProviderName"/>).</param>
    /// <param name="name">The operation, in words (<c>"send"</c>, <c>"check"</c>, <c>"get settings"</c>); appears in error messages and logs.</param>
    /// <param name="isReadOnly">Whether the call only reads: any failure may be retried, and nothing can have been accepted.</param>
    /// <exception cref="ArgumentException">A name is null or white space.</exception>
    public OtpOperation(string providerName, string name, bool isReadOnly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ProviderName = providerName;
        Name = name;
        IsReadOnly = isReadOnly;
    }

    /// <summary>Gets the provider name.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the operation name.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether the call only reads: any failure may be retried, and nothing can have been accepted.</summary>
    public bool IsReadOnly { get; }

    /// <summary>
    /// Gets the words that, found in the body of a refused answer (any status, case-insensitive), mark a per-recipient
    /// limit (AMM's <c>ANTISPAM</c>, iP1's <c>ConcurrentLimit</c>). The resilience handler reads the body of a 429 or 503
    /// before it retries, and never retries such an answer. Defaults to none.
    /// </summary>
    public IReadOnlyList<string> RecipientLimitMarkers { get; init; } = [];

    /// <summary>Gets a value indicating whether a failure after the request was written may mean the provider acted on it.</summary>
    internal bool MayBeAcceptedOnFailure => !IsReadOnly;

    /// <summary>Gets the operation a request carries, if any.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The operation, or <see langword="null"/>.</returns>
    public static OtpOperation? Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(OptionsKey, out var operation) ? operation : null;

    /// <summary>Returns <c>"{provider} {name}"</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{ProviderName} {Name}";
}
