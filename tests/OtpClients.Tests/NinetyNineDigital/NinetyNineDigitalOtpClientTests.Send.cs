using OtpClients.NinetyNineDigital;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.NinetyNineDigital;

public sealed partial class NinetyNineDigitalOtpClientTests
{
    [Test]
    public async Task SendAsync_DefaultMessage_PostsApiKeyFromAndToOnly()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, SendExample));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        AssertMultipart(Server.SingleRequest(), "/sms/verifySMS", ("apiKey", ApiKey), ("from", Sender), ("to", Local));
        Assert.That(result.Challenge, Is.EqualTo(new OtpChallenge("99digital", "63433453", "+972501234567")
        {
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(1600115719).AddMinutes(10),
        }));
    }

    [TestCase("+972 050-123-4567")]
    [TestCase("00972 (0)50 123 4567")]
    [TestCase("+972501234567")]
    public async Task SendAsync_TrunkPrefixAfterCountryCode_SendsTheNationalForm(string typed)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, SendExample));

        var result = await CreateClient().SendAsync(new OtpSendRequest(typed));

        AssertMultipart(Server.SingleRequest(), "/sms/verifySMS", ("apiKey", ApiKey), ("from", Sender), ("to", Local));
        Assert.That(result.Challenge!.PhoneNumber, Is.EqualTo("+972501234567"));
    }

    [Test]
    public async Task SendAsync_Template_SendsMessageWithCodeMarker()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, SendExample));

        await CreateClient().SendAsync(new OtpSendRequest(Phone) { MessageTemplate = "הקוד שלך: {code}", Sender = "+972 54 000 0000", TimeToLive = TimeSpan.FromMinutes(10) });

        AssertMultipart(Server.SingleRequest(), "/sms/verifySMS", ("apiKey", ApiKey), ("from", "0540000000"), ("to", Local), ("message", "הקוד שלך: ##code##"));
    }

    [Test]
    public async Task SendAsync_OptionsTemplate_IsSent()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, SendExample));
        await CreateClient(o => o.MessageTemplate = "Code {code}").SendAsync(new OtpSendRequest(Phone));
        AssertMultipart(Server.SingleRequest(), "/sms/verifySMS", ("apiKey", ApiKey), ("from", Sender), ("to", Local), ("message", "Code ##code##"));
    }

    [Test]
    public async Task SendAsync_UniqueAndTimestampOfOtherTypes_AreRead()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, "{\"status\":\"OK\",\"unique\":63433453,\"timestamp\":\"1600115719\",\"reason\":\"1\"}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Challenge!.Id, Is.EqualTo("63433453"));
            Assert.That(result.Challenge.ExpiresAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1600115719).AddMinutes(10)));
        });
    }

    [Test]
    public async Task SendAsync_NoTimestamp_ExpiresTenMinutesFromClock()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, "{\"status\":\"OK\",\"unique\":\"u1\"}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Challenge!.ExpiresAt, Is.EqualTo(Clock.GetUtcNow().AddMinutes(10)));
    }

    [Test]
    public async Task SendAsync_MovedSendPath_PostsThere()
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, SendExample));
        await CreateClient(o => o.SendPath = "/sms/v2/verify-send").SendAsync(new OtpSendRequest(Phone));
        Assert.That(Server.SingleRequest().Path, Is.EqualTo("/sms/v2/verify-send"));
    }

    /// <summary>Every send reason; kept apart from the implementation's table on purpose.</summary>
    public static IEnumerable<TestCaseData> ReasonRows()
    {
        yield return new TestCaseData("2", OtpErrorCode.InvalidSender, false);
        yield return new TestCaseData("3", OtpErrorCode.InvalidSender, false);
        yield return new TestCaseData("4", OtpErrorCode.InvalidMessage, false);
        yield return new TestCaseData("5", OtpErrorCode.ProviderError, true);
        yield return new TestCaseData("6", OtpErrorCode.Unauthorized, false);
        yield return new TestCaseData("7", OtpErrorCode.InvalidPhoneNumber, false);
        yield return new TestCaseData("8", OtpErrorCode.InvalidMessage, false);
        yield return new TestCaseData("9", OtpErrorCode.InvalidSender, false);
        yield return new TestCaseData("10", OtpErrorCode.InvalidMessage, false);
    }

    [TestCaseSource(nameof(ReasonRows))]
    public async Task SendAsync_FailReason_MapsToError(string reason, OtpErrorCode code, bool transient)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, $"{{\"status\": \"FAIL\", \"unique\": \"\", \"timestamp\": 1600115719, \"from\": \"{Sender}\", \"reason\": {reason}}}"));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.ProviderCode, Is.EqualTo(reason));
            Assert.That(result.Error.IsTransient, Is.EqualTo(transient));
            // Only reason 5, "unknown error", does not say the SMS was not sent: it may have gone, so it is not failed over.
            Assert.That(result.Error.MayHaveBeenAccepted, Is.EqualTo(reason == "5"), "FAIL with a documented refusal means not sent");
        });
    }

    [Test]
    public void ReasonTable_EveryRowIsCoveredByATest() =>
        Assert.That(NinetyNineDigitalErrors.ByReason.Keys, Is.EquivalentTo(ReasonRows().Select(r => (string)r.Arguments[0]!)));

    [TestCase("{\"status\": \"FAIL\", \"reason\": 11}", "11")]
    [TestCase("{\"status\": \"FAIL\", \"reason\": 1}", "1")]
    [TestCase("{\"status\": \"FAIL\"}", null)]
    public async Task SendAsync_UnknownReason_IsProviderErrorWithRawReason(string body, string? raw)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, body));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.ProviderError));
            Assert.That(result.Error.ProviderCode, Is.EqualTo(raw));
        });
    }

    [TestCase(401, "", OtpErrorCode.Unauthorized)]
    [TestCase(500, "", OtpErrorCode.ProviderError)]
    [TestCase(503, "<html/>", OtpErrorCode.ProviderUnavailable)]
    [TestCase(400, "{\"status\": \"FAIL\", \"reason\": 6}", OtpErrorCode.Unauthorized)]
    [TestCase(404, "Not Found", OtpErrorCode.NotFound)]
    public async Task SendAsync_NonSuccessStatus_MapsToError(int status, string body, OtpErrorCode code)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Text(status, body, "application/json"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.HttpStatusCode, Is.EqualTo(status));
        });
    }

    [TestCase("")]
    [TestCase("{}")]
    [TestCase("{\"status\": \"OK\"}")]
    [TestCase("{\"status\": \"OK\", \"unique\": \"\"}")]
    [TestCase("{\"status\": \"MAYBE\", \"unique\": \"1\"}")]
    [TestCase("<html>OK</html>")]
    public async Task SendAsync_UnreadableSuccess_IsUnexpectedAndMayHaveBeenAccepted(string body)
    {
        Server.Answer(Endpoints.NinetyNineDigital(), Reply.Text(200, body, "application/json"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
        });
    }

    public static IEnumerable<TestCaseData> InvalidSendRequests()
    {
        static TestCaseData Case(OtpSendRequest request, OtpErrorCode code, string fragment, string name) => new TestCaseData(request, code, fragment).SetArgDisplayNames(name);
        yield return Case(new OtpSendRequest("+39 348 123 4567"), OtpErrorCode.NotSupported, "from IT", "Italian number");
        yield return Case(new OtpSendRequest("+46 70 123 45 67"), OtpErrorCode.NotSupported, "from SE", "Swedish number");
        yield return Case(new OtpSendRequest("+972 12"), OtpErrorCode.InvalidPhoneNumber, "PhoneNumber", "number that cannot exist");
        yield return Case(new OtpSendRequest("0501234567"), OtpErrorCode.InvalidPhoneNumber, "country code", "local form typed");
        yield return Case(new OtpSendRequest(Phone) { CodeLength = 6 }, OtpErrorCode.NotSupported, "CodeLength", "code length");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromMinutes(5) }, OtpErrorCode.NotSupported, "TimeToLive", "ttl 5 min");
        yield return Case(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromMinutes(11) }, OtpErrorCode.NotSupported, "TimeToLive", "ttl 11 min");
        yield return Case(new OtpSendRequest(Phone) { MessageTemplate = "Code ##code##" }, OtpErrorCode.InvalidMessage, "MessageTemplate", "native placeholder");
        yield return Case(new OtpSendRequest(Phone) { Sender = "TwelveLetter" }, OtpErrorCode.InvalidSender, "11", "12-char sender");
        yield return Case(new OtpSendRequest(Phone) { Sender = "+39 348 000 0000" }, OtpErrorCode.InvalidSender, "Israeli", "foreign numeric sender");
        yield return Case(new OtpSendRequest(Phone) { Sender = "   " }, OtpErrorCode.InvalidSender, "required", "blank sender");
    }

    [TestCaseSource(nameof(InvalidSendRequests))]
    public async Task SendAsync_InvalidRequest_FailsBeforeAnyHttpCall(OtpSendRequest request, OtpErrorCode code, string fragment)
    {
        var result = await CreateClient().SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.Message, Does.Contain(fragment));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }
}
