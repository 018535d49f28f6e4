namespace OtpClients.Http;

/// <summary>
/// Describes one provider endpoint call: which provider, which operation, and whether it is a pure read. The
/// resilience handler reads it from <see cref="HttpRequestMessage.Options"/> to decide what may be retried.
/// </summary>
internal sealed class OtpOperation
{
    /// <summary>The key under which the operation travels on the request.</summary>
    public static readonly HttpRequestOptionsKey<OtpOperation> Key = new("OtpClients.Operation");

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
