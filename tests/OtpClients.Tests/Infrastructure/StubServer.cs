using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on Kestrel bound to 127.0.0.1 on a free port, standing in for a provider: it records every
/// request (method, path, query, headers, raw body, parsed form fields and multipart parts) and answers what the
/// test scripted, in order, then <see cref="DefaultResponse"/>.
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<StubResponse> script = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();

    private StubServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Gets the origin the server listens on, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets or sets the answer given when the script is empty.</summary>
    public StubResponse DefaultResponse { get; set; } = StubResponse.Json(200, "{}");

    /// <summary>Gets or sets a function that answers instead of the script, when set.</summary>
    public Func<RecordedRequest, StubResponse>? Handler { get; set; }

    /// <summary>Gets the requests received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    /// <summary>Gets how many requests were received.</summary>
    public int RequestCount => requests.Count;

    public static async Task<StubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.AddServerHeader = false);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        StubServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new StubServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>Queues answers, given in order to the next requests.</summary>
    public StubServer Enqueue(params StubResponse[] responses)
    {
        foreach (var response in responses)
        {
            script.Enqueue(response);
        }

        return this;
    }

    /// <summary>Returns the only request received, failing the test when there were none or several.</summary>
    public RecordedRequest SingleRequest()
    {
        var all = Requests;
        Assert.That(all, Has.Count.EqualTo(1), "The stub should have received exactly one request.");
        return all[0];
    }

    public void Reset()
    {
        script.Clear();
        requests.Clear();
        Handler = null;
        DefaultResponse = StubResponse.Json(200, "{}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var recorded = await RecordAsync(context.Request);
        requests.Enqueue(recorded);
        var response = Handler?.Invoke(recorded) ?? (script.TryDequeue(out var next) ? next : DefaultResponse);
        if (response.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(response.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (response.Abort)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.ContentType is not null)
        {
            context.Response.ContentType = response.ContentType;
        }

        // HTTP forbids a body with 1xx, 204 and 304: Kestrel would abort the connection, so none is written.
        if (response.BodyBytes is { Length: > 0 } bytes && response.Status is not (< 200 or 204 or 304))
        {
            try
            {
                if (response.BodyDelay > TimeSpan.Zero && bytes.Length > 1)
                {
                    // Headers and the first byte now, the rest later: a body that stalls mid-way.
                    context.Response.ContentLength = bytes.Length;
                    await context.Response.Body.WriteAsync(bytes.AsMemory(0, 1), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(response.BodyDelay, context.RequestAborted);
                    await context.Response.Body.WriteAsync(bytes.AsMemory(1), context.RequestAborted);
                    return;
                }

                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The client went away (a timeout in the test): nothing to answer to.
            }
        }
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        var form = new List<KeyValuePair<string, string>>();
        var parts = new List<MultipartPart>();
        var contentType = request.ContentType;
        if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            if (mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (key, values) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
                {
                    foreach (var value in values)
                    {
                        form.Add(new(key, value ?? string.Empty));
                    }
                }
            }
            else if (mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value!;
                var reader = new MultipartReader(boundary, new MemoryStream(body));
                while (await reader.ReadNextSectionAsync() is { } section)
                {
                    var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
                    using var text = new StreamReader(section.Body, Encoding.UTF8);
                    var value = await text.ReadToEndAsync();
                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                    parts.Add(new MultipartPart(name, value, section.ContentType, HeaderUtilities.RemoveQuotes(disposition.FileName).Value, section.ContentDisposition ?? string.Empty));
                    form.Add(new(name, value));
                }
            }
        }

        return new RecordedRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            query.ToDictionary(q => q.Key, q => q.Value.ToArray().Select(v => v ?? string.Empty).ToArray(), StringComparer.Ordinal),
            headers,
            body,
            contentType,
            form,
            parts);
    }
}

/// <summary>A scripted answer of the <see cref="StubServer"/>.</summary>
public sealed record StubResponse(int Status, byte[]? BodyBytes, string? ContentType)
{
    public TimeSpan Delay { get; init; }

    public bool Abort { get; init; }

    /// <summary>Gets how long the body stalls after its first byte (the headers are already sent).</summary>
    public TimeSpan BodyDelay { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static StubResponse Json(int status, string body) => new(status, Encoding.UTF8.GetBytes(body), "application/json");

    public static StubResponse Text(int status, string body, string contentType = "text/plain") => new(status, Encoding.UTF8.GetBytes(body), contentType);

    public static StubResponse Empty(int status) => new(status, null, null);

    public static StubResponse Aborted() => new(200, null, null) { Abort = true };

    public StubResponse WithDelay(TimeSpan delay) => this with { Delay = delay };

    public StubResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}

/// <summary>One part of a multipart/form-data body as received.</summary>
public sealed record MultipartPart(string Name, string Value, string? ContentType, string? FileName, string ContentDisposition);

/// <summary>A request as the <see cref="StubServer"/> received it.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string[]> Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Form,
    IReadOnlyList<MultipartPart> Parts)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Gets the form fields as a name → value map, failing the test if a name repeats.</summary>
    public IReadOnlyDictionary<string, string> FormFields()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Form)
        {
            Assert.That(map.TryAdd(key, value), Is.True, $"Form field '{key}' was sent more than once.");
        }

        return map;
    }

    /// <summary>Gets the query parameters as a name → value map, failing the test if a name repeats.</summary>
    public IReadOnlyDictionary<string, string> QueryFields()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in Query)
        {
            Assert.That(values, Has.Length.EqualTo(1), $"Query parameter '{key}' was sent more than once.");
            map[key] = values[0];
        }

        return map;
    }

    /// <summary>Decodes a Basic Authorization header into user and password.</summary>
    public (string User, string Password)? BasicCredentials()
    {
        var header = Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return (decoded[..colon], decoded[(colon + 1)..]);
    }
}
