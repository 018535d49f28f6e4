namespace OtpClients.Http;

/// <summary>
/// A request body of the SDK's own that reports to <see cref="ProviderWireHandler"/> when it starts being written, so
/// the handler needs no wrapper around it (one content and one header collection per request, not two). Bodies of
/// other kinds are wrapped as before.
/// </summary>
internal abstract class TrackedContent : HttpContent
{
    /// <summary>Gets or sets the tracker of the attempt sending this body (set by the wire handler on each attempt).</summary>
    public ProviderWireHandler.WireTracker? Tracker { get; set; }

    protected sealed override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected sealed override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        Tracker?.OnWriting();
        return WriteAsync(stream, cancellationToken);
    }

    protected sealed override void SerializeToStream(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        Tracker?.OnWriting();
        WriteAsync(stream, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Writes the body.</summary>
    protected abstract Task WriteAsync(Stream stream, CancellationToken cancellationToken);
}
