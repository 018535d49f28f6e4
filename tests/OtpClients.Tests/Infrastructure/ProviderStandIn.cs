using System.Text;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// A provider stand-in: a <see cref="WireMockServer"/> bound to 127.0.0.1 on a free port. Tests stub it with request
/// matchers and scripted answers (<see cref="Answer"/>), and read what reached it from its log entries
/// (<see cref="Requests"/>, parsed into <see cref="WireRequest"/>).
/// </summary>
public static class ProviderStandIn
{
    private static int nextPriority = 1_000_000;

    /// <summary>Starts a WireMock.Net server on loopback only, with a port chosen by the OS.</summary>
    public static WireMockServer Start()
    {
        var port = FreeLoopbackPort();
        return WireMockServer.Start(new WireMockServerSettings
        {
            Urls = [$"http://127.0.0.1:{port}"],
            StartAdminInterface = false,
            // Keep every request of a test: the soak and fuzz suites count thousands.
            MaxRequestLogCount = null,
        });
    }

    /// <summary>A loopback port that is free now (the OS picks it); nothing listens on it once this returns.</summary>
    public static int FreeLoopbackPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Gets the origin the server listens on, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public static Uri BaseAddress(this WireMockServer server) => new(server.Url!.TrimEnd('/') + "/");

    /// <summary>
    /// Stubs <paramref name="request"/> with <paramref name="answers"/> given in order (a WireMock.Net scenario whose
    /// state moves on with each match); the last answer repeats. Several calls for different matchers coexist; for
    /// the same matcher, the later call wins (each call gets a higher WireMock.Net priority than the one before).
    /// </summary>
    public static void Answer(this WireMockServer server, IRequestBuilder request, params IResponseBuilder[] answers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(answers.Length);
        var priority = Interlocked.Decrement(ref nextPriority);
        if (answers.Length == 1)
        {
            server.Given(request).AtPriority(priority).RespondWith(answers[0]);
            return;
        }

        var scenario = Guid.NewGuid().ToString("N");
        for (var i = 0; i < answers.Length; i++)
        {
            var mapping = server.Given(request).AtPriority(priority).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"answer-{i}");
            }

            if (i < answers.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"answer-{i + 1}");
            }

            mapping.RespondWith(answers[i]);
        }
    }

    /// <summary>Stubs <paramref name="request"/> with an answer computed for each request by <paramref name="next"/>.</summary>
    public static void AnswerEach(this WireMockServer server, IRequestBuilder request, Func<CannedAnswer> next) =>
        server.Given(request).RespondWith(Response.Create().WithCallback(_ => next().ToResponseMessage()));

    /// <summary>
    /// Stubs <paramref name="request"/> with <paramref name="answers"/> in order, each taken <b>on arrival</b> (a
    /// WireMock.Net scenario moves on only once an answer is written, so a retry sent while a delayed answer is still
    /// pending would get that same delayed answer); each answer may wait <c>Delay</c> first. The last one repeats.
    /// </summary>
    public static void AnswerInTurn(this WireMockServer server, IRequestBuilder request, params (CannedAnswer Answer, TimeSpan Delay)[] answers)
    {
        var turn = -1;
        server.Given(request).AtPriority(Interlocked.Decrement(ref nextPriority)).RespondWith(Response.Create().WithCallback(async _ =>
        {
            var (answer, delay) = answers[Math.Min(Interlocked.Increment(ref turn), answers.Length - 1)];
            await Task.Delay(delay);
            return answer.ToResponseMessage();
        }));
    }

    /// <summary>Gets the requests received so far, in the order they arrived.</summary>
    /// <remarks>
    /// WireMock.Net adds a log entry once it has written the answer, so a client may hold the answer an instant
    /// before the entry exists: this waits (up to two seconds) for at least <paramref name="atLeast"/> entries and
    /// for the log to stop growing.
    /// </remarks>
    public static IReadOnlyList<WireRequest> Requests(this WireMockServer server, int atLeast = 0)
    {
        server.SettledCount(atLeast);
        return server.LogEntries
            .OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => WireRequest.From(e.RequestMessage))
            .ToArray();
    }

    /// <summary>Returns the only request received, failing the test when there were none or several.</summary>
    public static WireRequest SingleRequest(this WireMockServer server)
    {
        var all = server.Requests(atLeast: 1);
        Assert.That(all, Has.Count.EqualTo(1), "The provider stand-in should have received exactly one request.");
        return all[0];
    }

    /// <summary>Gets how many requests reached the server (see <see cref="Requests"/> on the short wait).</summary>
    public static int RequestCount(this WireMockServer server) => server.SettledCount(0);

    /// <summary>Gets how many requests reached the server once in-flight ones have settled (a longer wait).</summary>
    public static async Task<int> SettledRequestCountAsync(this WireMockServer server, int milliseconds = 300)
    {
        await Task.Delay(milliseconds);
        return server.RequestCount();
    }

    private static int SettledCount(this WireMockServer server, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(2);
        var count = server.LogEntries.Count();
        while (DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
            var now = server.LogEntries.Count();
            if (now == count && now >= atLeast)
            {
                break;
            }

            count = now;
        }

        return count;
    }
}

/// <summary>Scripted answers for <see cref="ProviderStandIn.Answer"/>.</summary>
public static class Reply
{
    /// <summary>A JSON answer (<c>application/json</c>).</summary>
    public static IResponseBuilder Json(int status, string body) => Text(status, body, "application/json");

    /// <summary>A text answer with the given content type.</summary>
    public static IResponseBuilder Text(int status, string body, string contentType = "text/plain") =>
        Bytes(status, Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>An answer with these exact bytes; HTTP forbids a body with 204 and 304, so none is written then.</summary>
    public static IResponseBuilder Bytes(int status, byte[] body, string? contentType)
    {
        var response = Response.Create().WithStatusCode(status);
        if (contentType is not null)
        {
            response = response.WithHeader("Content-Type", contentType);
        }

        return body.Length > 0 && status is not (204 or 304) ? response.WithBody(body) : response;
    }

    /// <summary>A status without a body.</summary>
    public static IResponseBuilder Empty(int status) => Response.Create().WithStatusCode(status);

    /// <summary>
    /// WireMock.Net's <see cref="FaultType.MALFORMED_RESPONSE_CHUNK"/>: a 200 status, then garbage instead of the body.
    /// (A connection dropped with no answer at all is <see cref="DroppedConnectionServer"/>.)
    /// </summary>
    public static IResponseBuilder Garbage() => Response.Create().WithStatusCode(200).WithFault(FaultType.MALFORMED_RESPONSE_CHUNK);
}

/// <summary>Request matchers for the documented endpoints of each provider.</summary>
public static class Endpoints
{
    public static IRequestBuilder AmmSend => Request.Create().WithPath("/sms/v2/verify/send").UsingPost();

    public static IRequestBuilder AmmCheck => Request.Create().WithPath("/sms/v2/verify/check").UsingGet();

    public static IRequestBuilder AmmCommand => Request.Create().WithPath("/sms/v2/verify/command").UsingPost();

    public static IRequestBuilder AmmSearch => Request.Create().WithPath("/sms/v2/verify/search").UsingGet();

    public static IRequestBuilder Ip1Create => Request.Create().WithPath("/api/authentications").UsingPost();

    public static IRequestBuilder Ip1Validate => Request.Create().WithPath("/api/authentications/validate").UsingPost();

    public static IRequestBuilder Ip1List => Request.Create().WithPath("/api/authentications").UsingGet();

    public static IRequestBuilder Ip1Get(long id) => Request.Create().WithPath($"/api/authentications/{id}").UsingGet();

    public static IRequestBuilder Ip1GetAny => Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/api/authentications/[0-9]+$")).UsingGet();

    public static IRequestBuilder Ip1GetSettings => Request.Create().WithPath("/api/authentications/settings").UsingGet();

    public static IRequestBuilder Ip1PutSettings => Request.Create().WithPath("/api/authentications/settings").UsingPut();

    public static IRequestBuilder NinetyNineDigital(string path = "/sms/verifySMS") => Request.Create().WithPath(path).UsingPost();

    /// <summary>Any request at all: for suites that script the answer regardless of the endpoint (fuzz, soak).</summary>
    public static IRequestBuilder Any => Request.Create().UsingAnyMethod();
}

/// <summary>
/// An answer computed per request (the fuzz suites): status, exact body bytes, content type and headers, given to
/// WireMock.Net through <see cref="ProviderStandIn.AnswerEach"/>.
/// </summary>
public sealed record CannedAnswer(int Status, byte[] Body, string? ContentType)
{
    public static CannedAnswer Json(int status, string body) => new(status, Encoding.UTF8.GetBytes(body), "application/json");

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public CannedAnswer WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };

    /// <summary>Builds the WireMock.Net response; HTTP forbids a body with 204 and 304, so none is written then.</summary>
    public ResponseMessage ToResponseMessage()
    {
        var message = new ResponseMessage { StatusCode = Status };
        if (ContentType is not null)
        {
            message.AddHeader("Content-Type", ContentType);
        }

        foreach (var (name, value) in Headers)
        {
            message.AddHeader(name, value);
        }

        if (Body.Length > 0 && Status is not (204 or 304))
        {
            message.BodyData = new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = Body };
        }

        return message;
    }
}
