using Microsoft.Extensions.Logging;
using Refit;

namespace OtpClients.Http;

/// <summary>
/// What a provider client needs to talk to its provider: the <see cref="HttpClient"/> its Refit client sends with
/// (its base address is the provider's <see cref="OtpProviderOptions.BaseAddress"/>), the options, the clock and the
/// logger. Answers are read by <see cref="ProviderTransport.ReceiveAsync"/>.
/// </summary>
internal sealed class ProviderChannel
{
    /// <summary>
    /// The Refit settings of every provider interface: transport failures surface as thrown (not wrapped). Form and
    /// multipart bodies know their length; a JSON body is marked <c>[Body(buffered: true)]</c> in its interface, so every
    /// request is sent with a <c>Content-Length</c>, as the providers' examples do.
    /// </summary>
    public static readonly RefitSettings RefitSettings = CreateRefitSettings(null);

    /// <summary>
    /// Creates the Refit settings of a provider whose bodies are JSON: written with the options of its source-generated
    /// <paramref name="context"/> (its naming, its ignore conditions), never by reflection.
    /// </summary>
    public static RefitSettings CreateRefitSettings(System.Text.Json.Serialization.JsonSerializerContext? context) =>
        new(context is null ? new SystemTextJsonContentSerializer() : new SystemTextJsonContentSerializer(context.Options))
        {
            TransportExceptionFactory = static (_, exception, _) => exception,
        };

    public ProviderChannel(HttpClient httpClient, OtpProviderOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Options = options;
        TimeProvider = timeProvider;
        Logger = logger;

        // A client from AddOtpClient already has the provider's base address. Any other (an app's own HttpClient, with
        // any base address or none) is reached through a forwarder, so the app's client is used as it is and not changed.
        // The forwarder path has no resilience handler: the wire handler bounds the wait for headers by AttemptTimeout,
        // and refuses answers from a redirect that the app's handler followed.
        Http = IsSdkClient(httpClient) && httpClient.BaseAddress == options.BaseAddress
            ? httpClient
            : new HttpClient(new ProviderWireHandler(options.AttemptTimeout) { InnerHandler = new HttpClientForwarder(httpClient) }, disposeHandler: true) { BaseAddress = options.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The <see cref="HttpClient"/>s that <c>AddOtpClient</c> created (resilience, wire handler, no redirects).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, object> SdkClients = [];

    /// <summary>Marks a client as created by <c>AddOtpClient</c>: it is used as it is, without the forwarder.</summary>
    public static HttpClient MarkSdkClient(HttpClient client)
    {
        SdkClients.AddOrUpdate(client, SdkClients);
        return client;
    }

    private static bool IsSdkClient(HttpClient client) => SdkClients.TryGetValue(client, out _);

    /// <summary>Gets the client the provider's Refit interface sends with.</summary>
    public HttpClient Http { get; }

    /// <summary>Gets the provider's options.</summary>
    public OtpProviderOptions Options { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the logger of the provider client.</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// Sends through another <see cref="HttpClient"/>, returning as soon as the headers arrived. An
    /// <see cref="HttpClient"/> sends a request message once, so the inner client gets a copy: same method, URI,
    /// version, headers, options and content.
    /// </summary>
    private sealed class HttpClientForwarder(HttpClient inner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var copy = new HttpRequestMessage(request.Method, request.RequestUri)
            {
                Content = request.Content,
                Version = request.Version,
                VersionPolicy = request.VersionPolicy,
            };
            foreach (var header in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            IDictionary<string, object?> options = copy.Options;
            foreach (var option in request.Options)
            {
                options[option.Key] = option.Value;
            }

            ProviderWireHandler.TrackerOf(request)?.Watch(copy);
            return inner.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
    }
}
