using System.Text;
using System.Text.RegularExpressions;
using OtpClients.Amm;
using OtpClients.Ip1;
using OtpClients.NinetyNineDigital;
using OtpClients.Tests.Infrastructure;
using WireMock.Server;

namespace OtpClients.Tests.Reliability;

/// <summary>
/// Seeded, reproducible fuzzing of provider answers for every endpoint of every provider: random JSON, wrong types,
/// truncation, huge strings and numbers, deep nesting, invalid UTF-8, wrong content types, bodies over the size cap.
/// Every case must become a defined result; an answer over the cap is UnexpectedResponse; only the documented success
/// form verifies.
/// </summary>
[Category("Reliability")]
public sealed partial class AnswerFuzzTests
{
    private const int Cap = 4096;
    private static readonly Dictionary<string, int> Figures = [];

    private WireMockServer server = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public void Start()
    {
        server = ProviderStandIn.Start();
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    [OneTimeTearDown]
    public void Stop()
    {
        http.Dispose();
        server.Dispose();
        TestContext.Out.WriteLine("answer fuzz: " + string.Join(", ", Figures.Select(f => $"{f.Key} {f.Value} cases")));
    }

    public sealed record Endpoint(string Name, Func<IOtpClient, Task<(bool IsVerified, OtpError? Error, bool Defined)>> Call, Func<CannedAnswer, bool> IsDocumentedSuccess, string[] Bodies, string[] Fields)
    {
        public override string ToString() => Name;
    }

    private static readonly OtpChallenge AmmChallenge = new("AMM", "c6cf59524c65d9c65d134d1137a86336558d19ba", "+393481234567");
    private static readonly OtpChallenge Ip1Challenge = new("iP1", "42", "+46701234567");
    private static readonly OtpChallenge NinetyNineChallenge = new("99digital", "63433453", "+972501234567");

    private static readonly string[] AmmBodies = ["{\"verify_id\": \"c6cf59524c65d9c65d134d1137a86336558d19ba\"}", "{\"id_sms\": \"410065822\", \"verify_status\": \"VERIFIED\"}", "{\"command\": \"DELETE\"}", "{\"verify_id\": \"745ab0c7\", \"verify_status\": \"VERIFIED\", \"to\": \"393480000000\", \"date_submit\": 1480499821000, \"checks\": [{\"date\": 1480499858000, \"verify_code\": \"4506\"}]}", "{\"errorMsg\": \"ANTISPAM\", \"errorCode\": 400}"];
    private static readonly string[] AmmFields = ["verify_id", "verify_status", "id_sms", "command", "errorMsg", "errorCode", "to", "from", "codice", "date_submit", "valid_until", "checks"];
    private static readonly string[] Ip1Bodies = ["{\"ID\": 42, \"Phone\": \"46701234567\", \"Created\": \"2025-12-16T03:28:17.9016211+00:00\", \"HasExpired\": false, \"Expires\": \"2025-12-16T03:48:17\", \"IsUsed\": false, \"Used\": null}", "{\"Valid\": true, \"Authentication\": {\"ID\": 42}}", "{\"Valid\": false}", "{\"ConcurrentLimit\": 5, \"From\": \"iP1\", \"MessageFormat\": \"{0}\", \"Length\": 5, \"ExpirationTime\": 1200, \"NumericOnly\": false}", "[{\"ID\": 1}, {\"ID\": 2}]", "{\"Message\":\"The request is invalid.\",\"ModelState\":{\"a.Phone\":[\"x\"]}}"];
    private static readonly string[] Ip1Fields = ["ID", "Phone", "Created", "HasExpired", "Expires", "IsUsed", "Used", "Valid", "Authentication", "ConcurrentLimit", "From", "MessageFormat", "Length", "ExpirationTime", "NumericOnly", "Message", "ModelState"];
    private static readonly string[] NinetyNineBodies = ["{\"status\": \"OK\", \"unique\": \"63433453\", \"timestamp\": 1600115719, \"from\": \"0501234567\", \"reason\": 1}", "{\"status\": 1, \"phone\": \"0501234567\",}", "{\"status\": \"FAIL\", \"reason\": 6}"];
    private static readonly string[] NinetyNineFields = ["status", "unique", "timestamp", "from", "reason", "phone"];

    private static (bool, OtpError?, bool) Of(OtpSendResult r) => (false, r.Error, r.IsSuccess ? r.Challenge is not null : r.Error is not null);

    private static (bool, OtpError?, bool) Of(OtpVerifyResult r) => (r.IsVerified, r.Error, (r.Status == OtpVerificationStatus.Failed) == (r.Error is not null));

    private static (bool, OtpError?, bool) Of(OtpCancelResult r) => (false, r.Error, r.IsSuccess || r.Error is not null);

    private static (bool, OtpError?, bool) Of<T>(OtpResult<T> r)
        where T : notnull => (false, r.Error, r.IsSuccess ? r.Value is not null : r.Error is not null);

    private static string Text(CannedAnswer answer) => Encoding.UTF8.GetString(answer.Body);

    private static bool Never(CannedAnswer _) => false;

    public static IEnumerable<Endpoint> Endpoints()
    {
        yield return new("AMM send", async c => Of(await c.SendAsync(new OtpSendRequest("+393481234567"))), Never, AmmBodies, AmmFields);
        yield return new("AMM check", async c => Of(await c.VerifyAsync(new OtpVerifyRequest(AmmChallenge, "4506"))), a => a.Status == 200 && VerifiedPattern().IsMatch(Text(a)), AmmBodies, AmmFields);
        yield return new("AMM command", async c => Of(await ((AmmOtpClient)c).CancelAsync(AmmChallenge)), Never, AmmBodies, AmmFields);
        yield return new("AMM search", async c => Of(await ((AmmOtpClient)c).SearchAsync(AmmChallenge)), Never, AmmBodies, AmmFields);
        yield return new("iP1 create", async c => Of(await c.SendAsync(new OtpSendRequest("+46701234567"))), Never, Ip1Bodies, Ip1Fields);
        yield return new("iP1 validate", async c => Of(await c.VerifyAsync(new OtpVerifyRequest(Ip1Challenge, "AB12C"))), a => a.Status == 200 && ValidPattern().IsMatch(Text(a)), Ip1Bodies, Ip1Fields);
        yield return new("iP1 get", async c => Of(await ((Ip1OtpClient)c).GetAuthenticationAsync(42)), Never, Ip1Bodies, Ip1Fields);
        yield return new("iP1 list", async c => Of(await ((Ip1OtpClient)c).ListAuthenticationsAsync()), Never, Ip1Bodies, Ip1Fields);
        yield return new("iP1 get settings", async c => Of(await ((Ip1OtpClient)c).GetSettingsAsync()), Never, Ip1Bodies, Ip1Fields);
        yield return new("iP1 update settings", async c => Of(await ((Ip1OtpClient)c).UpdateSettingsAsync(new Ip1Settings { ConcurrentLimit = 3 })), Never, Ip1Bodies, Ip1Fields);
        yield return new("99digital send", async c => Of(await c.SendAsync(new OtpSendRequest("+972501234567"))), Never, NinetyNineBodies, NinetyNineFields);
        yield return new("99digital check", async c => Of(await c.VerifyAsync(new OtpVerifyRequest(NinetyNineChallenge, "123456"))), a => a.Status == 200 && StatusOnePattern().IsMatch(Text(a)), NinetyNineBodies, NinetyNineFields);
    }

    private IOtpClient ClientFor(string endpoint) => endpoint.Split(' ')[0] switch
    {
        "AMM" => new AmmOtpClient(http, new AmmOptions { BaseAddress = server.BaseAddress(), AuthKey = "k", AuthSecret = "s", MaxResponseBytes = Cap }),
        "iP1" => new Ip1OtpClient(http, new Ip1Options { BaseAddress = server.BaseAddress(), AccountId = "a", ApiKey = "k", MaxResponseBytes = Cap }),
        _ => new NinetyNineDigitalOtpClient(http, new NinetyNineDigitalOptions { BaseAddress = server.BaseAddress(), ApiKey = "k", Sender = "Contoso", MaxResponseBytes = Cap }),
    };

    [TestCaseSource(nameof(Endpoints))]
    public async Task RandomAnswers_AlwaysBecomeDefinedResults(Endpoint endpoint)
    {
        server.Reset();
        var cases = ReliabilitySettings.FuzzCasesPerEndpoint;
        var fuzzer = new AnswerFuzzer(seed: endpoint.Name.Length * 7919 + endpoint.Name[0], endpoint.Bodies, endpoint.Fields);
        var answers = new List<CannedAnswer>();
        server.AnswerEach(OtpClients.Tests.Infrastructure.Endpoints.Any, () =>
        {
            var next = fuzzer.Next();
            lock (answers)
            {
                answers.Add(next);
            }

            return next;
        });
        var client = ClientFor(endpoint.Name);
        var overCap = 0;
        var verified = 0;
        for (var i = 0; i < cases; i++)
        {
            var first = answers.Count;
            var (isVerified, error, defined) = await endpoint.Call(client);
            Assert.That(defined, Is.True, $"case {i}: not a defined result");
            var answer = answers[first];
            if (answer.Body is { Length: > Cap } && answer.Status is not (204 or 304))
            {
                overCap++;
                Assert.That(error?.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse), $"case {i}: an answer over the cap is UnexpectedResponse");
            }

            if (isVerified)
            {
                verified++;
                Assert.That(endpoint.IsDocumentedSuccess(answer), Is.True, $"case {i}: verified without the documented success form: HTTP {answer.Status} {Text(answer)[..Math.Min(200, Text(answer).Length)]}");
            }
        }

        lock (Figures)
        {
            Figures[endpoint.Name] = cases;
        }

        TestContext.Out.WriteLine($"{endpoint.Name}: {cases} cases, {overCap} over the cap, {verified} verified by a documented success form, 0 failures");
    }

    [GeneratedRegex("^\\s*\\{\\s*\"id_sms\"\\s*:\\s*\"[^\"]*\"\\s*,\\s*\"verify_status\"\\s*:\\s*\"VERIFIED\"\\s*\\}\\s*$|\"verify_status\"\\s*:\\s*\"VERIFIED\"")]
    private static partial Regex VerifiedPattern();

    [GeneratedRegex("\"Valid\"\\s*:\\s*true")]
    private static partial Regex ValidPattern();

    [GeneratedRegex("\"status\"\\s*:\\s*(1|\"1\")\\s*[,}]")]
    private static partial Regex StatusOnePattern();
}
