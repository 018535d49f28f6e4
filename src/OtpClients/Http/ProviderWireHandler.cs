using System.Net;

namespace OtpClients.Http;

/// <summary>
/// The innermost handler the SDK controls on every provider request, with DI and without:
/// <list type="bullet">
/// <item><description>
/// it refuses any answer that did not come from the URI sent (a redirect followed by whatever handler the app
/// supplied): the answer is dropped and the call fails as <see cref="OtpErrorCode.UnexpectedResponse"/>, and a body is
/// never written a second time to another URI (307/308 would re-post the code or the API key);
/// </description></item>
/// <item><description>
/// it notes when the request's body begins to be written, so a cancellation says whether the provider may have the
/// request (<see cref="OtpOperationCanceledException.MayHaveBeenAccepted"/>);
/// </description></item>
/// <item><description>
/// on the path without the resilience handler (an app's own <see cref="HttpClient"/>), it bounds the wait for the
/// answer's headers by <see cref="OtpProviderOptions.AttemptTimeout"/>.
/// </description></item>
/// </list>
/// </summary>
internal sealed class ProviderWireHandler : DelegatingHandler
{
    private readonly TimeSpan? attemptTimeout;

    /// <summary>Creates the handler.</summary>
    /// <param name="attemptTimeout">
    /// The most time to wait for the answer's headers, on the path without the resilience handler (which has its own
    /// attempt timeout); a wall-clock timer, like the body's read timeout. <see langword="null"/>: no bound here.
    /// </param>
    public ProviderWireHandler(TimeSpan? attemptTimeout = null) => this.attemptTimeout = attemptTimeout;

    /// <summary>
    /// Gets the tracker of a request with a body, for a handler that sends a copy of it (the forwarder). A request
    /// without a body has nothing to re-post; its answer's URI is still checked.
    /// </summary>
    public static WireTracker? TrackerOf(HttpRequestMessage request) => request.Content switch
    {
        TrackedContent own => own.Tracker,
        WriteTrackingContent wrapped => wrapped.Tracker,
        _ => null,
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var tracker = new WireTracker(request);
        if (request.Content is TrackedContent own)
        {
            own.Tracker = tracker; // the SDK's own body reports itself: no wrapper
        }
        else if (request.Content is WriteTrackingContent wrapped)
        {
            // A retry re-sends the body of an earlier attempt: it now reports to this attempt's tracker.
            wrapped.Tracker = tracker;
        }
        else if (request.Content is { } content)
        {
            request.Content = new WriteTrackingContent(content, tracker);
        }

        CancellationTokenSource? timeout = null;
        var token = cancellationToken;
        if (attemptTimeout is { } limit && limit != Timeout.InfiniteTimeSpan)
        {
            timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            token = timeout.Token;
        }

        try
        {
            tracker.Handed = true;
            var response = await base.SendAsync(request, token).ConfigureAwait(false);
            if (tracker.IsRedirected || response.RequestMessage?.RequestUri is { } final && final != tracker.Sent)
            {
                response.Dispose();
                throw new OtpRedirectException();
            }

            return response;
        }
        catch (Exception ex) when (ex is not OtpRedirectException && tracker.IsRedirected)
        {
            throw new OtpRedirectException(ex);
        }
        catch (OperationCanceledException ex) when (ex is not OtpOperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            var operation = OtpOperation.Of(request);
            var mayHaveBeenAccepted = operation is not { IsReadOnly: true } && tracker.MayHaveReached;
            throw new OtpOperationCanceledException($"{operation?.ToString() ?? "OTP request"}: cancelled{(mayHaveBeenAccepted ? " after the request was sent; the provider may have it" : " before the request was sent")}.", ex, cancellationToken, mayHaveBeenAccepted);
        }
        catch (OperationCanceledException ex) when (timeout is not null && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within the attempt timeout ({attemptTimeout}).", ex);
        }
        finally
        {
            timeout?.Dispose();
        }
    }

    /// <summary>What happened to one request on the wire.</summary>
    internal sealed class WireTracker(HttpRequestMessage request)
    {
        private volatile bool written;
        private volatile HttpRequestMessage watched = request;

        /// <summary>Gets the URI the request was sent to.</summary>
        public Uri? Sent { get; } = request.RequestUri;

        /// <summary>Gets or sets a value indicating whether the request was handed to the network stack.</summary>
        public bool Handed { get; set; }

        /// <summary>Gets a value indicating whether the body began to be written (or, without a body, the request was handed on).</summary>
        public bool MayHaveReached => written || Handed && watched.Content is null;

        /// <summary>Gets a value indicating whether the message being sent now points to another URI than the one sent.</summary>
        public bool IsRedirected => watched.RequestUri != Sent;

        /// <summary>Watches the copy a forwarder sends instead of the original message.</summary>
        public void Watch(HttpRequestMessage copy) => watched = copy;

        /// <summary>Notes that the body is being written; refuses to write it to another URI.</summary>
        public void OnWriting()
        {
            if (IsRedirected)
            {
                throw new OtpRedirectException();
            }

            written = true;
        }
    }

    /// <summary>Wraps a request body to note when it is written and to refuse writing it after a redirect.</summary>
    private sealed class WriteTrackingContent : HttpContent
    {
        private readonly HttpContent inner;

        public WriteTrackingContent(HttpContent inner, WireTracker tracker)
        {
            this.inner = inner;
            Tracker = tracker;
            // The body's own headers, shared rather than re-parsed. Form, JSON and multipart bodies carry only
            // Content-Type (and the length, which TryComputeLength gives).
            var headers = inner.Headers;
            Headers.ContentType = headers.ContentType;
            if (headers.ContentDisposition is { } disposition)
            {
                Headers.ContentDisposition = disposition;
            }

            if (headers.NonValidated.Contains("Content-Encoding"))
            {
                foreach (var encoding in headers.ContentEncoding)
                {
                    Headers.ContentEncoding.Add(encoding);
                }
            }
        }

        /// <summary>Gets or sets the tracker of the attempt that is sending this body.</summary>
        public WireTracker Tracker { get; set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            Tracker.OnWriting();
            return inner.CopyToAsync(stream, context, cancellationToken);
        }

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            Tracker.OnWriting();
            inner.CopyTo(stream, context, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            if (inner.Headers.ContentLength is { } known)
            {
                length = known;
                return true;
            }

            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>The answer came from another URI than the one sent (a redirect was followed): it is not read.</summary>
internal sealed class OtpRedirectException : Exception
{
    public OtpRedirectException()
        : base("The provider's answer came from another URI (a redirect was followed); it was refused.")
    {
    }

    public OtpRedirectException(Exception inner)
        : base("The provider's answer came from another URI (a redirect was followed); it was refused.", inner)
    {
    }
}
