using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Amm;

/// <summary>AMM answers that try to talk a check into "yes", tolerant error lookups, lenient search fields, redaction, client IPs.</summary>
public sealed partial class AmmOtpClientTests
{
    public static IEnumerable<TestCaseData> NotCleanChecks()
    {
        static TestCaseData Case(int status, string body, string name, string contentType = "application/json") =>
            new TestCaseData(status, body, contentType).SetArgDisplayNames(name);

        // verify_status: absent, null, wrong type, empty, other case, padded, repeated.
        yield return Case(200, "{\"id_sms\": \"1\"}", "verify_status absent");
        yield return Case(200, "{\"verify_status\": null}", "verify_status null");
        yield return Case(200, "{\"verify_status\": {}}", "verify_status object");
        yield return Case(200, "{\"verify_status\": [\"VERIFIED\"]}", "verify_status array");
        yield return Case(200, "{\"verify_status\": true}", "verify_status boolean");
        yield return Case(200, "{\"verify_status\": \"\"}", "verify_status empty");
        yield return Case(200, "{\"verify_status\": \"verified\"}", "verify_status lower case");
        yield return Case(200, "{\"verify_status\": \" VERIFIED \"}", "verify_status padded");
        yield return Case(200, "{\"VERIFY_STATUS\": \"VERIFIED\"}", "name in upper case");
        yield return Case(200, "{\"verify_status\": \"FAILED\", \"Verify_Status\": \"VERIFIED\"}", "FAILED then VERIFIED in another case");
        yield return Case(200, "{\"verify_status\": \"FAILED\", \"verify_status\": \"VERIFIED\"}", "verify_status repeated");

        // Contradictions.
        yield return Case(200, "{\"verify_status\": \"VERIFIED\", \"errorMsg\": \"BAD_CREDENTIALS\"}", "VERIFIED with errorMsg");
        yield return Case(200, "{\"verify_status\": \"VERIFIED\", \"errorMsg\": \"anything\"}", "VERIFIED with an unknown errorMsg");
        yield return Case(200, "{\"verify_status\": \"VERIFIED\", \"verify_id\": \"another-id\"}", "VERIFIED for another verify_id");
        yield return Case(201, "{\"verify_status\": \"VERIFIED\"}", "VERIFIED with HTTP 201");
        yield return Case(400, "{\"errorMsg\": \"VERIFIED\"}", "VERIFIED as a 400 errorMsg");

        // Not strict JSON, or not declared as JSON.
        yield return Case(200, "{\"verify_status\": \"VERIFIED\", \"x\": 1, \"x\": 2}", "unread property repeated");
        yield return Case(200, "{\"verify_status\": \"VERIFIED\", \"x\": {\"y\": 1, \"y\": 2}}", "property repeated deep");
        yield return Case(200, "{\"verify_status\": \"VERIFIED\" /* ok */}", "comment");
        yield return Case(200, "{\"verify_status\": \"VERIFIED\",}", "trailing comma");
        yield return Case(200, "{\"verify_status\": \"VERIFIED\"}", "text/html", "text/html");
        yield return Case(200, "{\"verify_status\": \"VERIFIED\"}", "no content type", null!);
    }

    [TestCaseSource(nameof(NotCleanChecks))]
    public async Task VerifyAsync_NotACleanSuccess_IsNeverVerified(int status, string body, string? contentType)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Bytes(status, System.Text.Encoding.UTF8.GetBytes(body), contentType));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\", \"verify_status\": \"PENDING\"}}"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "4506"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False, result.ToString());
            Assert.That(result.Status, Is.Not.EqualTo(OtpVerificationStatus.Verified));
        });
    }

    [TestCase("BAD_CREDENTIALS")]
    [TestCase("NO_CREDIT")]
    public async Task VerifyAsync_VerifiedWithErrorMsg_FailsClosedMayHaveBeenAccepted(string errorMsg)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, $"{{\"verify_status\": \"VERIFIED\", \"errorMsg\": \"{errorMsg}\"}}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "4506"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
            Assert.That(result.Error.ProviderCode, Is.EqualTo(errorMsg));
        });
    }

    [TestCase(" antispam ", OtpErrorCode.RateLimited)]
    [TestCase("bad_to", OtpErrorCode.InvalidPhoneNumber)]
    [TestCase("No_Credit", OtpErrorCode.InsufficientCredit)]
    [TestCase("\tBAD_TEXT_PLACEHOLDER\n", OtpErrorCode.InvalidMessage)]
    public async Task SendAsync_ErrorMsgInOtherCaseOrPadded_IsLookedUp(string errorMsg, OtpErrorCode code)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(400, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["errorMsg"] = errorMsg, ["errorCode"] = 400 })));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Error!.Code, Is.EqualTo(code));
    }

    [TestCase(" expired ", OtpVerificationStatus.Expired)]
    [TestCase("Reused", OtpVerificationStatus.AlreadyUsed)]
    [TestCase("cancelled", OtpVerificationStatus.Cancelled)]
    [TestCase("verify id error", OtpVerificationStatus.NotFound)]
    public async Task VerifyAsync_RefusalInOtherCaseOrPadded_IsLookedUp(string status, OtpVerificationStatus expected)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, $"{{\"verify_status\": \"{status}\"}}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "4506"));
        Assert.That(result.Status, Is.EqualTo(expected));
    }

    [Test]
    public async Task SendAsync_Antispam_IsRecipientLimitThatNeverFailsOver()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(429, ErrorBody("ANTISPAM", 429)));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(result.Error.IsRecipientLimit, Is.True);
            Assert.That(OtpClients.Failover.FailoverOtpClient.ShouldFailOver(result.Error), Is.False);
        });
    }

    public static readonly string[] OddSearchShapes = ["\"\"", "\"yesterday\"", "{}", "[]", "true", "{\"ms\": 1}"];

    [TestCaseSource(nameof(OddSearchShapes))]
    public async Task SearchAsync_OddDatesAndNumbers_ReadAsAbsent(string odd)
    {
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\", \"verify_status\": \"VERIFIED\", \"date_submit\": {odd}, \"valid_until\": {odd}, \"to\": {(odd.StartsWith('"') ? "\"393481234567\"" : odd)}, \"id_sms\": {(odd.StartsWith('"') ? "\"1\"" : odd)}, \"checks\": [{{\"date\": {odd}, \"verify_status\": \"VERIFIED\", \"ip_address\": {(odd.StartsWith('"') ? "\"1.2.3.4\"" : odd)}}}]}}"));
        var result = await CreateClient().SearchAsync(VerifyId);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True, $"{odd}: {result}");
            Assert.That(result.Value!.Status, Is.EqualTo("VERIFIED"));
            Assert.That(result.Value.SubmittedAt, Is.Null);
            Assert.That(result.Value.ValidUntil, Is.Null);
            Assert.That(result.Value.Checks, Has.Count.EqualTo(1));
            Assert.That(result.Value.Checks[0].Date, Is.Null);
        });
    }

    [Test]
    public async Task VerifyAsync_ProviderTextWithCodeAndNumber_IsRedacted()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(400, "{\"errorMsg\": \"code 987654 is wrong for 393481234567\"}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "987654"));
        var text = result + " " + result.Error + " " + result.ProviderStatus;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("987654"));
            Assert.That(text, Does.Not.Contain("393481234567"));
            Assert.That(text, Does.Not.Contain("3481234567"));
        });
    }

    [TestCase("+39 348 123 4567")]
    [TestCase("0039-348-123-4567")]
    [TestCase("348.123.4567")]
    [TestCase("(348) 123 4567")]
    public async Task SendAsync_ProviderTextWithNumberInAnyFormAndCredentials_IsRedacted(string form)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(500, $"{{\"errorMsg\": \"to {form} failed for {AuthKey}:{AuthSecret}\"}}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        var text = result + " " + result.Error;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain(form));
            Assert.That(text, Does.Not.Contain("4567"));
            Assert.That(text, Does.Not.Contain(AuthKey));
            Assert.That(text, Does.Not.Contain(AuthSecret));
        });
    }

    [TestCase("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [TestCase("::FFFF:192.0.2.1", "::ffff:192.0.2.1")]
    [TestCase("192.0.2.1", "192.0.2.1")]
    [TestCase("fe80::1%3", "fe80::1%3")]
    public async Task VerifyAsync_ClientIpAddress_IsSentInCanonicalForm(string ip, string expected)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "4506") { ClientIpAddress = ip });
        Assert.That(Server.SingleRequest().QueryFields()["ip_address"], Is.EqualTo(expected));
    }

    [TestCase("fe80::1%<script>")]
    [TestCase("%' OR '1'='1")]
    [TestCase("fe80::1%eth0' OR '1'='1")]
    [TestCase("017.0.0.1")]
    [TestCase("127.000.000.001")]
    [TestCase("127.1")]
    [TestCase("2130706433")]
    [TestCase("0x7f000001")]
    [TestCase("1.2.3.4 ")]
    [TestCase("::ffff:017.0.0.1")]
    public async Task VerifyAsync_ClientIpAddressNotStandard_IsRefusedBeforeHttp(string ip)
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "4506") { ClientIpAddress = ip });
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(result.Error.Message, Does.Contain("ClientIpAddress"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public void OtpVerifyRequest_ToString_MasksTheClientIp()
    {
        var text = new OtpVerifyRequest(Challenge(), "4506") { ClientIpAddress = "203.0.113.77" }.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("113.77"));
            Assert.That(text, Does.Contain("203.0.***"));
            Assert.That(text, Does.Not.Contain("4506"));
        });
    }

    [TestCase("200b")]
    [TestCase("202e")]
    [TestCase("2066")]
    [TestCase("feff")]
    [TestCase("d800")]
    public async Task SendAsync_VerifyIdWithInvisibleCharacters_IsUnexpectedNotAChallenge(string escape)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"abc\\u" + escape + "def\"}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
        });
    }

    [TestCase("to")]
    [TestCase("from")]
    [TestCase("id_sms")]
    [TestCase("codice")]
    [TestCase("date_submit")]
    [TestCase("valid_until")]
    public async Task SearchAsync_OddNonEssentialField_ReadsAsAbsent(string field)
    {
        foreach (var odd in new[] { "{}", "[]", "{\"x\": [1]}", "[{}]", "-1e999" })
        {
            Server.Answer(Endpoints.AmmSearch, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\", \"verify_status\": \"PENDING\", \"{field}\": {odd}}}"));
            var result = await CreateClient().SearchAsync(VerifyId);
            Assert.Multiple(() =>
            {
                Assert.That(result.IsSuccess, Is.True, $"{field}: {odd}: {result}");
                Assert.That(result.Value!.Status, Is.EqualTo("PENDING"));
            });
        }
    }

    [TestCase("{}")]
    [TestCase("[]")]
    [TestCase("\"four hundred\"")]
    [TestCase("true")]
    public async Task SendAsync_OddErrorCode_StillMapsTheErrorMsg(string odd)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(400, $"{{\"errorMsg\": \"BAD_TO\", \"errorCode\": {odd}}}"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidPhoneNumber));
    }
}
