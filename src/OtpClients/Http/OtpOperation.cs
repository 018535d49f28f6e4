namespace OtpClients.Http;

/// <summary>
/// Describes one provider endpoint call: which provider, which operation, and whether it is a pure read. It travels on
/// the request (<see cref="OtpRequestMessage"/>) for the resilience handler, which retries any failure of a pure read
/// only. The HTTP method does not tell: AMM's check is a GET that consumes an attempt.
/// </summary>
internal sealed class OtpOperation
{
    public OtpOperation(string providerName, string name, bool isReadOnly)
    {
        ProviderName = providerName;
        Name = name;
        IsReadOnly = isReadOnly;
    }

    /// <summary>Gets the provider name (<c>"AMM"</c>).</summary>
    public string ProviderName { get; }

    /// <summary>Gets the operation name (<c>"send"</c>, <c>"check"</c>, …).</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether the call only reads: any failure may be retried, and nothing can have been accepted.</summary>
    public bool IsReadOnly { get; }

    /// <summary>Gets a value indicating whether a failure after the request was written may mean the provider acted on it.</summary>
    public bool MayBeAcceptedOnFailure => !IsReadOnly;

    public override string ToString() => $"{ProviderName} {Name}";
}

/// <summary>A request that knows its <see cref="OtpOperation"/> (no per-request options dictionary).</summary>
internal sealed class OtpRequestMessage(HttpMethod method, Uri uri, OtpOperation operation) : HttpRequestMessage(method, uri)
{
    public OtpOperation Operation { get; } = operation;

    /// <summary>Gets or sets when the resilience pipeline started with this request (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long StartTimestamp { get; set; }
}
