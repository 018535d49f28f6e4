using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Amm;

public sealed partial class AmmOtpClientTests
{
    public static IEnumerable<TestCaseData> VerifyStatusRows()
    {
        yield return new TestCaseData("VERIFIED", OtpVerificationStatus.Verified).SetArgDisplayNames("VERIFIED");
        yield return new TestCaseData("FAILED", OtpVerificationStatus.InvalidCode).SetArgDisplayNames("FAILED");
        yield return new TestCaseData("EXPIRED", OtpVerificationStatus.Expired).SetArgDisplayNames("EXPIRED");
        yield return new TestCaseData("VERIFY ID ERROR", OtpVerificationStatus.NotFound).SetArgDisplayNames("VERIFY ID ERROR");
        yield return new TestCaseData("REUSED", OtpVerificationStatus.AlreadyUsed).SetArgDisplayNames("REUSED");
        yield return new TestCaseData("CANCELLED", OtpVerificationStatus.Cancelled).SetArgDisplayNames("CANCELLED");
    }

    [Test]
    public async Task VerifyAsync_Code_GetsCheckWithVerifyIdAndCodeOnly()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"id_sms\": \"410065822\", \"verify_status\": \"VERIFIED\"}"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "4506"));

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Path, Is.EqualTo("/sms/v2/verify/check"));
            Assert.That(request.QueryFields(), Is.EqualTo(new Dictionary<string, string> { ["verify_id"] = VerifyId, ["verify_code"] = "4506" }));
            Assert.That(request.Body, Is.Empty);
            Assert.That(request.ContentType, Is.Null);
            Assert.That(result.IsVerified, Is.True);
            Assert.That(result.ProviderStatus, Is.EqualTo("VERIFIED"));
        });
        AssertAmmHeaders(request);
    }

    [Test]
    public async Task VerifyAsync_ClientIpAddress_SendsIpAddress()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"id_sms\": \"1\", \"verify_status\": \"VERIFIED\"}"));

        await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "4506") { ClientIpAddress = "2001:db8::1" });

        Assert.That(Server.SingleRequest().QueryFields(), Is.EqualTo(new Dictionary<string, string>
        {
            ["verify_id"] = VerifyId,
            ["verify_code"] = "4506",
            ["ip_address"] = "2001:db8::1",
        }));
    }

    [Test]
    public async Task VerifyAsync_IdWithReservedCharacters_IsEscaped()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"EXPIRED\"}"));
        await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge("a+b/c&d=e?f#g%"), "1234"));
        Assert.That(Server.SingleRequest().QueryFields()["verify_id"], Is.EqualTo("a+b/c&d=e?f#g%"));
    }

    [TestCaseSource(nameof(VerifyStatusRows))]
    public async Task VerifyAsync_VerifyStatusIn200_MapsToStatus(string verifyStatus, OtpVerificationStatus expected)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, $"{{\"id_sms\": \"410065822\", \"verify_status\": \"{verifyStatus}\"}}"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(expected));
            Assert.That(result.ProviderStatus, Is.EqualTo(verifyStatus));
            Assert.That(result.Error, Is.Null);
        });
    }

    [TestCaseSource(nameof(VerifyStatusRows))]
    public async Task VerifyAsync_VerifyStatusAs400ErrorMsg_MapsToStatusButNeverVerified(string verifyStatus, OtpVerificationStatus expected)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(400, ErrorBody(verifyStatus)));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False, "a 400 is never a verification");
            Assert.That(result.ProviderStatus, Is.EqualTo(verifyStatus));
            if (expected == OtpVerificationStatus.Verified)
            {
                Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
                Assert.That(result.Error, Is.Not.Null);
            }
            else
            {
                Assert.That(result.Status, Is.EqualTo(expected));
                Assert.That(result.Error, Is.Null);
            }
        });
    }

    [TestCase("FAILED", OtpVerificationStatus.TooManyAttempts)]
    [TestCase("PENDING", OtpVerificationStatus.InvalidCode)]
    [TestCase("SENT", OtpVerificationStatus.InvalidCode)]
    [TestCase(null, OtpVerificationStatus.InvalidCode)]
    public async Task VerifyAsync_FailedWithDetectSpentAttempts_ReadsTheRequestStatusToTellTooManyAttempts(string? requestStatus, OtpVerificationStatus expected)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"id_sms\": \"1\", \"verify_status\": \"FAILED\"}"));
        Server.Answer(
            Endpoints.AmmSearch,
            requestStatus is null ? Reply.Empty(500) : Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\", \"verify_status\": \"{requestStatus}\"}}"));

        var result = await CreateClient(o => o.DetectSpentAttempts = true).VerifyAsync(new OtpVerifyRequest(Challenge(), "0000"));

        var requests = Server.Requests();
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(expected));
            Assert.That(result.ProviderStatus, Is.EqualTo("FAILED"));
            Assert.That(requests.Select(r => r.Path), Is.EqualTo(new[] { "/sms/v2/verify/check", "/sms/v2/verify/search" }).Or.EqualTo(new[] { "/sms/v2/verify/check", "/sms/v2/verify/search", "/sms/v2/verify/search", "/sms/v2/verify/search" }));
            Assert.That(requests[1].QueryFields(), Is.EqualTo(new Dictionary<string, string> { ["verify_id"] = VerifyId }));
        });
    }

    [Test]
    public async Task VerifyAsync_FailedByDefault_IsInvalidCodeWithNoSearch()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"id_sms\": \"1\", \"verify_status\": \"FAILED\"}"));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\", \"verify_status\": \"FAILED\"}}"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "0000"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(result.ProviderStatus, Is.EqualTo("FAILED"));
            Assert.That(Server.Requests().Select(r => r.Path), Is.EqualTo(new[] { "/sms/v2/verify/check" }), "one request: the look-up is opt-in");
        });
    }

    [Test]
    public async Task VerifyAsync_FailedWithDetectSpentAttempts_LogsOneInformationLineForTheVerifyOnly()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"id_sms\": \"1\", \"verify_status\": \"FAILED\"}"));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, $"{{\"verify_id\": \"{VerifyId}\", \"verify_status\": \"PENDING\"}}"));
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        var logger = new Microsoft.Extensions.Logging.Testing.FakeLogger<OtpClients.Amm.AmmOtpClient>(logs);
        var options = new OtpClients.Amm.AmmOptions { BaseAddress = Server.BaseAddress(), AuthKey = AuthKey, AuthSecret = AuthSecret, DetectSpentAttempts = true };

        await new OtpClients.Amm.AmmOtpClient(Http, options, Clock, logger).VerifyAsync(new OtpVerifyRequest(Challenge(), "0000"));

        var information = logs.GetSnapshot().Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Information).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Server.Requests(atLeast: 2).Select(r => r.Path), Is.EqualTo(new[] { "/sms/v2/verify/check", "/sms/v2/verify/search" }));
            Assert.That(information, Has.Length.EqualTo(1), string.Join("\n", information.Select(l => l.Message)));
            Assert.That(information[0].Message, Does.StartWith("OTP verify via AMM"));
        });
    }

    [TestCase("verified")]
    [TestCase("VERIFIED ")]
    [TestCase("OK")]
    [TestCase("PENDING")]
    [TestCase("")]
    public async Task VerifyAsync_UndocumentedStatus_FailsClosed(string verifyStatus)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, $"{{\"verify_status\": \"{verifyStatus}\"}}"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
        });
    }

    [TestCase(201, "{\"verify_status\": \"VERIFIED\"}")]
    [TestCase(299, "{\"verify_status\": \"VERIFIED\"}")]
    [TestCase(200, "{\"errorMsg\": \"VERIFIED\"}")]
    [TestCase(200, "")]
    [TestCase(200, "{}")]
    [TestCase(200, "{\"verify_status\": true}")]
    [TestCase(200, "<html>VERIFIED</html>")]
    [TestCase(200, "\"VERIFIED\"")]
    [TestCase(200, "{\"verify_status\": [\"VERIFIED\"]}")]
    [TestCase(500, "{\"verify_status\": \"VERIFIED\"}")]
    [TestCase(401, "")]
    [TestCase(400, "")]
    public async Task VerifyAsync_UnusableAnswer_IsFailedNeverVerified(int status, string body)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Text(status, body, "application/json"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error, Is.Not.Null);
        });
    }

    [TestCase(" 4506 ", "4506")]
    [TestCase("45-06", "4506")]
    [TestCase("45 06", "4506")]
    [TestCase("\u0664\u0665\u0660\u0666", "4506")]
    public async Task VerifyAsync_CodeAsTyped_IsNormalized(string typed, string sent)
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), typed));
        Assert.That(Server.SingleRequest().QueryFields()["verify_code"], Is.EqualTo(sent));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("12;34")]
    [TestCase("1234\u0000")]
    [TestCase("12\u200E34")]
    [TestCase("123456789012345678901234567890123")]
    public async Task VerifyAsync_ImpossibleCode_IsInvalidCodeWithoutHttp(string code)
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), code));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task VerifyAsync_TenKilobyteCode_IsInvalidCodeWithoutHttp()
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), new string('1', 10_240)));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    public static IEnumerable<TestCaseData> InvalidChallenges()
    {
        yield return new TestCaseData(new OtpChallenge("iP1", VerifyId, "+" + Msisdn), "Challenge.ProviderName").SetArgDisplayNames("other provider");
        yield return new TestCaseData(new OtpChallenge("AMM", "", "+" + Msisdn), "Challenge.Id").SetArgDisplayNames("empty id");
        yield return new TestCaseData(new OtpChallenge("AMM", "has space", "+" + Msisdn), "Challenge.Id").SetArgDisplayNames("id with space");
        yield return new TestCaseData(new OtpChallenge("AMM", new string('a', 129), "+" + Msisdn), "Challenge.Id").SetArgDisplayNames("id too long");
        yield return new TestCaseData(new OtpChallenge("AMM", VerifyId, "not a phone"), "Challenge.PhoneNumber").SetArgDisplayNames("bad phone");
        yield return new TestCaseData(new OtpChallenge(null!, VerifyId, "+" + Msisdn), "Challenge.ProviderName").SetArgDisplayNames("null provider");
        yield return new TestCaseData(new OtpChallenge("AMM", null!, "+" + Msisdn), "Challenge.Id").SetArgDisplayNames("null id");
    }

    [TestCaseSource(nameof(InvalidChallenges))]
    public async Task VerifyAsync_MalformedChallenge_FailsWithoutHttp(OtpChallenge challenge, string field)
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(challenge, "1234"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(result.Error.Message, Does.Contain(field));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [TestCase("not-an-ip")]
    [TestCase("999.1.1.1")]
    [TestCase("")]
    public async Task VerifyAsync_BadClientIpAddress_FailsWithoutHttp(string ip)
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "1234") { ClientIpAddress = ip });
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Message, Does.Contain("ClientIpAddress"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public void VerifyAsync_NullArguments_Throw()
    {
        var client = CreateClient();
        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<ArgumentNullException>(() => client.VerifyAsync(null!));
            Assert.ThrowsAsync<ArgumentNullException>(() => client.VerifyAsync(new OtpVerifyRequest(null!, "1234")));
            Assert.ThrowsAsync<ArgumentNullException>(() => client.VerifyAsync(new OtpVerifyRequest(Challenge(), null!)));
        });
    }

    [Test]
    public async Task VerifyAsync_Timeout_IsFailedAndMayHaveBeenAccepted()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}").WithDelay(TimeSpan.FromSeconds(3)));
        using var timed = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        var client = new OtpClients.Amm.AmmOtpClient(timed, new OtpClients.Amm.AmmOptions { BaseAddress = Server.BaseAddress(), AuthKey = AuthKey, AuthSecret = AuthSecret });

        var result = await client.VerifyAsync(new OtpVerifyRequest(Challenge(), "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.Timeout));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
        });
    }
}
