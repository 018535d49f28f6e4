using OtpClients.NinetyNineDigital;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.NinetyNineDigital;

public sealed partial class NinetyNineDigitalOtpClientTests
{
    [Test]
    public async Task VerifyAsync_DocumentedExample_PostsApiKeyToAndCodeAndIsVerified()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, CheckExample));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));

        AssertMultipart(Server.SingleRequest(), "/sms/verifySMS", ("apiKey", ApiKey), ("to", Local), ("code", "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True);
            Assert.That(result.ProviderStatus, Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task VerifyAsync_MovedCheckPath_PostsThereAndSendStaysPut()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, SendExample));
        Server.Answer(Endpoints.NinetyNineDigital("/sms/verifySMS/check"), Reply.Json(200, CheckExample));
        var client = CreateClient(o => o.CheckPath = "/sms/verifySMS/check");

        await client.SendAsync(new OtpSendRequest(Phone));
        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(Server.Requests().Select(r => r.Path), Is.EqualTo(new[] { "/sms/verifySMS", "/sms/verifySMS/check" }));
            Assert.That(result.IsVerified, Is.True);
        });
    }

    [TestCase("1", "1", true)]
    [TestCase("\"1\"", "1", true)]
    [TestCase("0", "0", false)]
    [TestCase("2", "2", false)]
    [TestCase("3", "3", false)]
    [TestCase("-1", "-1", false)]
    [TestCase("1.0", "1.0", false)]
    [TestCase("\"OK\"", "OK", false)]
    [TestCase("true", "true", false)]
    [TestCase("\" 1\"", "1", false)]
    public async Task VerifyAsync_Status_OnlyOneVerifiesEveryOtherIsInvalidCode(string json, string raw, bool verified)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, $"{{\"status\": {json}, \"phone\": \"{Local}\"}}"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.EqualTo(verified));
            Assert.That(result.Status, Is.EqualTo(verified ? OtpVerificationStatus.Verified : OtpVerificationStatus.InvalidCode));
            Assert.That(result.ProviderStatus, Is.EqualTo(raw));
            Assert.That(result.Error, Is.Null);
        });
    }

    [TestCase("6", OtpErrorCode.Unauthorized)]
    [TestCase("5", OtpErrorCode.ProviderError)]
    public async Task VerifyAsync_RefusedLikeASend_IsFailedWithTheReason(string reason, OtpErrorCode code)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, $"{{\"status\": \"FAIL\", \"reason\": {reason}}}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.ProviderCode, Is.EqualTo(reason));
        });
    }

    [TestCase("{\"status\": 1, \"phone\": \"0501234567\"}")]
    [TestCase("{\"status\": 1, \"phone\": \"972501234567\"}")]
    [TestCase("{\"status\": 1, \"phone\": \"+972501234567\"}")]
    public async Task VerifyAsync_StatusOneForTheChallengesNumber_IsVerified(string body)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, body));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));
        Assert.That(result.IsVerified, Is.True);
    }

    [TestCase("{\"status\": 1, \"phone\": \"0509999999\"}", "another phone number")]
    [TestCase("{\"status\": 1, \"phone\": \"+972509999999\"}", "another phone number")]
    [TestCase("{\"status\": 1, \"phone\": \"\"}", "another phone number")]
    [TestCase("{\"status\": 1, \"phone\": 501234567}", "another phone number")]
    [TestCase("{\"status\": 1, \"reason\": 6}", "error reason")]
    [TestCase("{\"status\": 1, \"reason\": \"1\", \"phone\": \"0501234567\"}", "error reason")]
    [TestCase("{\"status\": 1}", "without the phone number")]
    [TestCase("{\"status\": 1, \"phone\": null}", "without the phone number")]
    [TestCase("{\"status\": \"1\", \"reason\": \"\"}", "without the phone number")]
    public async Task VerifyAsync_StatusOneThatContradicts_IsFailedNeverVerified(string body, string why)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, body));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.Message, Does.Contain(why));
            Assert.That(result.Error.Message, Does.Not.Contain("050").And.Not.Contain("123456"), "no number or code in the message");
        });
    }

    [TestCase(200, "{}")]
    [TestCase(200, "{\"status\": null}")]
    [TestCase(200, "{\"status\": {\"a\": 1}}")]
    [TestCase(200, "")]
    [TestCase(200, "<html/>")]
    [TestCase(201, "{\"status\": 1}")]
    [TestCase(401, "{\"status\": 1}")]
    [TestCase(500, "")]
    public async Task VerifyAsync_UnusableAnswer_IsNeverVerified(int status, string body)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Text(status, body, "application/json"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Status == OtpVerificationStatus.Failed, Is.EqualTo(result.Error is not null));
        });
    }

    [Test]
    public async Task VerifyAsync_NonIsraeliChallenge_FailsWithoutHttp()
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(new OtpChallenge("99digital", "1", "+393481234567"), "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Message, Does.Contain("Challenge.PhoneNumber"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public void Options_MissingApiKeyOrSenderOrBadPath_ThrowNamingTheSetting()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new NinetyNineDigitalOtpClient(Http, new NinetyNineDigitalOptions { Sender = Sender }), Throws.ArgumentException.With.Message.Contains("NinetyNineDigital.ApiKey is required"));
            Assert.That(() => new NinetyNineDigitalOtpClient(Http, new NinetyNineDigitalOptions { ApiKey = ApiKey }), Throws.ArgumentException.With.Message.Contains("NinetyNineDigital.Sender is required"));
            Assert.That(() => new NinetyNineDigitalOtpClient(Http, new NinetyNineDigitalOptions { ApiKey = ApiKey, Sender = Sender, CheckPath = "https://evil.example/x" }), Throws.ArgumentException.With.Message.Contains("NinetyNineDigital.CheckPath"));
            Assert.That(() => new NinetyNineDigitalOtpClient(Http, new NinetyNineDigitalOptions { ApiKey = ApiKey, Sender = Sender, SendPath = "sms?x=1" }), Throws.ArgumentException.With.Message.Contains("NinetyNineDigital.SendPath"));
        });
    }

    [Test]
    public async Task EveryOperation_RandomAnswers_AlwaysBecomeResults()
    {
        var client = CreateClient();
        var fuzzer = new AnswerFuzzer(seed: 5, [SendExample, CheckExample, "{\"status\": \"FAIL\", \"reason\": 6}"], ["status", "unique", "timestamp", "from", "reason", "phone"]);
        var answers = new List<CannedAnswer>();
        Server.AnswerEach(Endpoints.Any, () =>
        {
            var next = fuzzer.Next();
            lock (answers)
            {
                answers.Add(next);
            }

            return next;
        });

        for (var i = 0; i < 250; i++)
        {
            var send = await client.SendAsync(new OtpSendRequest(Phone));
            Assert.That(send.IsSuccess ? send.Challenge is not null : send.Error is not null, Is.True);

            var verify = await client.VerifyAsync(new OtpVerifyRequest(Challenge(), "123456"));
            Assert.That(verify.Status == OtpVerificationStatus.Failed, Is.EqualTo(verify.Error is not null));
            if (verify.IsVerified)
            {
                Assert.That(answers[^1].Status, Is.EqualTo(200), "only a 200 can verify");
            }
        }
    }
}
