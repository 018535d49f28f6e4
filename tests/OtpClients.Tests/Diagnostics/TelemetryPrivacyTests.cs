using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpClients.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.Server;

namespace OtpClients.Tests.Diagnostics;

/// <summary>
/// Per provider, through AddOtpClient against a WireMock.Net stand-in scripted with the provider's documented answers:
/// send, a wrong and a right code, and a provider error, with every log (Trace, through FakeLoggerProvider), activity
/// (every source) and metric captured. Nothing may hold a code, a credential or a full phone number; the expected
/// activities, tags and counters must be there.
/// </summary>
public sealed class TelemetryPrivacyTests
{
    private const string AmmKey = "amm-key-4711";
    private const string AmmSecret = "amm-secret-0815";
    private const string Ip1Account = "ip1-24680";
    private const string Ip1Key = "ip1-key-13579";
    private const string NinetyNineKey = "nine-key-97531";

    private WireMockServer server = null!;

    [SetUp]
    public void Start() => server = ProviderStandIn.Start();

    [TearDown]
    public void Stop() => server.Dispose();

    public static IEnumerable<TestCaseData> Providers()
    {
        // Distinctive codes, so that a leak cannot hide among other digits.
        yield return new TestCaseData("AMM", "+39 348 123 4567", "8642", new[] { "393481234567", "3481234567" }).SetArgDisplayNames("AMM");
        yield return new TestCaseData("iP1", "+46 70 123 45 67", "Q7W3E", new[] { "46701234567", "701234567" }).SetArgDisplayNames("iP1");
        yield return new TestCaseData("99digital", "+972 50 123 4567", "975318", new[] { "972501234567", "0501234567", "501234567" }).SetArgDisplayNames("99digital");
    }

    /// <summary>The provider's documented answers: a send, then a 500; a check that verifies only the right code.</summary>
    private void Script(string providerName, string code)
    {
        static IRequestBuilder Carrying(IRequestBuilder request, string text) =>
            request.WithBody((byte[]? body) => body is not null && Encoding.UTF8.GetString(body).Contains(text, StringComparison.Ordinal));

        switch (providerName)
        {
            case "AMM":
                server.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"amm-v1\"}"), Reply.Json(500, "{\"errorMsg\": \"GENERIC_ERROR\", \"errorCode\": 500}"));
                server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"id_sms\": \"1\", \"verify_status\": \"FAILED\"}"));
                server.Answer(Endpoints.AmmCheck.WithParam("verify_code", code), Reply.Json(200, "{\"id_sms\": \"1\", \"verify_status\": \"VERIFIED\"}"));
                server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\": \"amm-v1\", \"verify_status\": \"SENT\"}"));
                break;
            case "iP1":
                const string authentication = "{\"ID\": 42, \"Phone\": \"46701234567\", \"Created\": \"2026-11-22T10:00:00Z\", \"HasExpired\": false, \"Expires\": \"2026-11-22T10:20:00Z\", \"IsUsed\": false, \"Used\": null}";
                server.Answer(Endpoints.Ip1Create, Reply.Json(200, authentication), Reply.Json(500, "{\"Message\": \"An error has occurred.\"}"));
                server.Answer(Endpoints.Ip1Validate, Reply.Json(200, "{\"Valid\": false, \"Authentication\": null}"));
                server.Answer(Carrying(Endpoints.Ip1Validate, code), Reply.Json(200, $"{{\"Valid\": true, \"Authentication\": {authentication}}}"));
                server.Answer(Endpoints.Ip1Get(42), Reply.Json(200, authentication));
                break;
            default:
                server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, "{\"status\": \"OK\", \"unique\": \"63433453\", \"timestamp\": 1600115719, \"from\": \"0501234567\", \"reason\": 1}"), Reply.Empty(500));
                server.Answer(Carrying(Endpoints.NinetyNineDigital(), "name=\"code\""), Reply.Json(200, "{\"status\": 0, \"phone\": \"0501234567\"}"));
                server.Answer(Carrying(Carrying(Endpoints.NinetyNineDigital(), "name=\"code\""), code), Reply.Json(200, "{\"status\": 1, \"phone\": \"0501234567\"}"));
                break;
        }
    }

    [TestCaseSource(nameof(Providers))]
    public async Task FullFlowWithError_LeaksNothing_AndRecordsTelemetry(string providerName, string phone, string code, string[] phoneForms)
    {
        Script(providerName, code);
        using var capture = new TelemetryCapture();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture.LoggerProvider));
        services.AddOtpClient(otp =>
        {
            switch (providerName)
            {
                case "AMM":
                    otp.UseAmm(o => (o.BaseAddress, o.AuthKey, o.AuthSecret, o.MaxRetryAttempts) = (server.BaseAddress(), AmmKey, AmmSecret, 0));
                    break;
                case "iP1":
                    otp.UseIp1(o => (o.BaseAddress, o.AccountId, o.ApiKey, o.MaxRetryAttempts) = (server.BaseAddress(), Ip1Account, Ip1Key, 0));
                    break;
                default:
                    otp.UseNinetyNineDigital(o => (o.BaseAddress, o.ApiKey, o.Sender, o.MaxRetryAttempts) = (server.BaseAddress(), NinetyNineKey, "Contoso", 0));
                    break;
            }
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IOtpClient>();

        var sent = await client.SendAsync(new OtpSendRequest(phone));
        var wrong = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "000000"[..code.Length]));
        var right = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, code));
        var failed = await client.SendAsync(new OtpSendRequest(phone));

        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True);
            Assert.That(wrong.IsVerified, Is.False);
            Assert.That(right.IsVerified, Is.True);
            Assert.That(failed.IsSuccess, Is.False);
        });

        Assert.That(server.Requests().Select(r => r.BodyText + r.QueryString), Has.Some.Contains(code), "the right code did reach the stand-in");
        var secrets = new List<string> { code, AmmSecret, Ip1Key, NinetyNineKey };
        secrets.AddRange(phoneForms);
        secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AmmKey}:{AmmSecret}")));
        secrets.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Ip1Account}:{Ip1Key}")));
        var text = capture.AllText();
        Assert.That(text, Is.Not.Empty);
        foreach (var secret in secrets)
        {
            Assert.That(text, Does.Not.Contain(secret), $"captured telemetry leaks '{secret[..2]}…'");
        }

        foreach (var result in new object[] { sent, wrong, right, failed, sent.Challenge!, new OtpVerifyRequest(sent.Challenge!, code) })
        {
            var printed = result.ToString()!;
            Assert.That(secrets.Where(printed.Contains), Is.Empty, $"ToString of {result.GetType().Name} leaks");
        }

        Assert.That(capture.Activities.Count(a => a.Source.Name == "System.Net.Http" && a.GetTagItem("url.full") is not null), Is.GreaterThanOrEqualTo(4), "HttpClient's own spans are captured too, so their URLs were searched");
        var otpActivities = capture.Activities.Where(a => a.Source.Name == OtpDiagnostics.ActivitySourceName).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(otpActivities.Count(a => a.OperationName == "otp.send"), Is.EqualTo(2));
            Assert.That(otpActivities.Count(a => a.OperationName == "otp.verify"), Is.EqualTo(2));
            Assert.That(otpActivities.All(a => (string?)a.GetTagItem(OtpDiagnostics.ProviderTag) == providerName), Is.True);
            Assert.That(otpActivities.Where(a => a.OperationName == "otp.send").Select(a => (string?)a.GetTagItem(OtpDiagnostics.OutcomeTag)), Is.EquivalentTo(new[] { "success", failed.Error!.Code.ToString() }));
            Assert.That(otpActivities.Single(a => a.OperationName == "otp.send" && a.Status == System.Diagnostics.ActivityStatusCode.Error).StatusDescription, Is.EqualTo(failed.Error!.Code.ToString()));
            Assert.That(otpActivities.Where(a => a.OperationName == "otp.verify").Select(a => (string?)a.GetTagItem(OtpDiagnostics.OutcomeTag)), Does.Contain("Verified"));

            var sends = capture.Measurements.Where(m => m.Instrument == "otp.sends").ToList();
            var verifications = capture.Measurements.Where(m => m.Instrument == "otp.verifications").ToList();
            Assert.That(sends.Sum(m => m.Value), Is.EqualTo(2));
            Assert.That(sends.Count(m => m.Tags[OtpDiagnostics.OutcomeTag] == "success" && m.Tags[OtpDiagnostics.ProviderTag] == providerName), Is.EqualTo(1));
            Assert.That(verifications.Sum(m => m.Value), Is.EqualTo(2));
            Assert.That(verifications.Count(m => m.Tags[OtpDiagnostics.OutcomeTag] == "Verified"), Is.EqualTo(1));
            Assert.That(capture.Measurements.Count(m => m.Instrument == "otp.duration" && m.Tags[OtpDiagnostics.OperationTag] == "send"), Is.EqualTo(2));

            Assert.That(capture.Logs.Count(l => l.StartsWith("Information OtpClients.", StringComparison.Ordinal) && l.Contains("OTP send via " + providerName, StringComparison.Ordinal)), Is.EqualTo(2));
            Assert.That(capture.Logs.Any(l => l.Contains(PhoneNumber.Parse(phone).Masked, StringComparison.Ordinal)), Is.True, "logs name the masked number");
            Assert.That(capture.Logs.Any(l => l.Contains("OTP HTTP", StringComparison.Ordinal)), Is.True, "the redacting HTTP logger replaces IHttpClientFactory's");
        });
    }

    [Test]
    public void Options_ToString_HoldsNoSecret()
    {
        var amm = new OtpClients.Amm.AmmOptions { AuthKey = "k", AuthSecret = "super-secret" };
        var ip1 = new OtpClients.Ip1.Ip1Options { AccountId = "a", ApiKey = "super-secret" };
        var nine = new OtpClients.NinetyNineDigital.NinetyNineDigitalOptions { ApiKey = "super-secret" };
        Assert.That(new[] { amm.ToString(), ip1.ToString(), nine.ToString() }, Has.None.Contains("super-secret"));
    }
}
