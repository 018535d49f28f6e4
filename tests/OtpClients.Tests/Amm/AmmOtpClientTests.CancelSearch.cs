using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Amm;

public sealed partial class AmmOtpClientTests
{
    private const string SearchExample = """
        {
        "verify_id": "745ab0c7d2bebd93e7e114ec973a1c997182fcbf",
        "verify_status": "VERIFIED",
        "to": "393480000000",
        "from": "393480000000",
        "id_sms": "410065825",
        "date_submit": 1480499821000,
        "valid_until": 1480500121000,
        "checks": [ {
        "date": 1480499858000,
        "verify_code": "4506",
        "verify_status": "VERIFIED",
        "ip_address": "192.168.1.1"
        }]
        }
        """;

    [Test]
    public async Task CancelAsync_Challenge_PostsVerifyIdAndDeleteCommand()
    {
        Server.Answer(Endpoints.AmmCommand, Reply.Json(200, "{\n\"command\": \"DELETE\"\n}"));

        var result = await CreateClient().CancelAsync(Challenge());

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/sms/v2/verify/command"));
            Assert.That(request.QueryString, Is.Empty);
            Assert.That(request.ContentType, Is.EqualTo("application/x-www-form-urlencoded"));
            Assert.That(request.FormFields(), Is.EqualTo(new Dictionary<string, string> { ["verify_id"] = VerifyId, ["command"] = "DELETE" }));
            Assert.That(result.IsSuccess, Is.True);
        });
        AssertAmmHeaders(request);
    }

    [TestCase("VERIFY ID ERROR", OtpErrorCode.NotFound)]
    [TestCase("BAD STATUS", OtpErrorCode.InvalidRequest)]
    [TestCase("BAD_COMMAND", OtpErrorCode.InvalidRequest)]
    [TestCase("BAD_CREDENTIALS", OtpErrorCode.Unauthorized)]
    public async Task CancelAsync_ErrorMsg_MapsToError(string errorMsg, OtpErrorCode code)
    {
        Server.Answer(Endpoints.AmmCommand, Reply.Json(400, ErrorBody(errorMsg)));
        var result = await CreateClient().CancelAsync(VerifyId);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.ProviderCode, Is.EqualTo(errorMsg));
        });
    }

    [TestCase(200, "{\"command\": \"NOPE\"}", OtpErrorCode.UnexpectedResponse)]
    [TestCase(200, "", OtpErrorCode.UnexpectedResponse)]
    [TestCase(200, "<html/>", OtpErrorCode.UnexpectedResponse)]
    [TestCase(401, "", OtpErrorCode.Unauthorized)]
    [TestCase(500, "", OtpErrorCode.ProviderError)]
    public async Task CancelAsync_UnusableAnswer_IsError(int status, string body, OtpErrorCode code)
    {
        Server.Answer(Endpoints.AmmCommand, Reply.Text(status, body, "application/json"));
        var result = await CreateClient().CancelAsync(VerifyId);
        Assert.That(result.Error!.Code, Is.EqualTo(code));
    }

    [Test]
    public async Task CancelAsync_ChallengeOfAnotherProvider_FailsWithoutHttp()
    {
        var result = await CreateClient().CancelAsync(new OtpChallenge("iP1", "42", "+46701234567"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [TestCase("")]
    [TestCase("with space")]
    public async Task CancelAsync_MalformedId_FailsWithoutHttp(string id)
    {
        var result = await CreateClient().CancelAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Message, Does.Contain("verifyId"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public void CancelAndSearch_NullArguments_Throw()
    {
        var client = CreateClient();
        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<ArgumentNullException>(() => client.CancelAsync((OtpChallenge)null!));
            Assert.ThrowsAsync<ArgumentNullException>(() => client.CancelAsync((string)null!));
            Assert.ThrowsAsync<ArgumentNullException>(() => client.SearchAsync((OtpChallenge)null!));
            Assert.ThrowsAsync<ArgumentNullException>(() => client.SearchAsync((string)null!));
        });
    }

    [Test]
    public async Task SearchAsync_DocumentedExample_ParsesHistory()
    {
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, SearchExample));

        var result = await CreateClient().SearchAsync("745ab0c7d2bebd93e7e114ec973a1c997182fcbf");

        var request = Server.SingleRequest();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Path, Is.EqualTo("/sms/v2/verify/search"));
            Assert.That(request.QueryFields(), Is.EqualTo(new Dictionary<string, string> { ["verify_id"] = "745ab0c7d2bebd93e7e114ec973a1c997182fcbf" }));
            Assert.That(request.Body, Is.Empty);
        });
        AssertAmmHeaders(request);

        var history = result.Value!;
        Assert.Multiple(() =>
        {
            Assert.That(history.VerifyId, Is.EqualTo("745ab0c7d2bebd93e7e114ec973a1c997182fcbf"));
            Assert.That(history.Status, Is.EqualTo("VERIFIED"));
            Assert.That(history.To, Is.EqualTo("393480000000"));
            Assert.That(history.From, Is.EqualTo("393480000000"));
            Assert.That(history.SmsId, Is.EqualTo("410065825"));
            Assert.That(history.SandboxCode, Is.Null);
            Assert.That(history.SubmittedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1480499821000)));
            Assert.That(history.ValidUntil, Is.EqualTo(new DateTimeOffset(2016, 11, 30, 10, 2, 1, TimeSpan.Zero)));
            Assert.That(history.Checks, Has.Count.EqualTo(1));
            Assert.That(history.Checks[0].Date, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1480499858000)));
            Assert.That(history.Checks[0].Code, Is.EqualTo("4506"));
            Assert.That(history.Checks[0].Status, Is.EqualTo("VERIFIED"));
            Assert.That(history.Checks[0].IpAddress, Is.EqualTo("192.168.1.1"));
        });
    }

    [Test]
    public async Task SearchAsync_SandboxCode_IsReturnedButNeverPrinted()
    {
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\":\"x1\",\"verify_status\":\"SENT\",\"to\":\"393481234567\",\"codice\":\"918273\",\"checks\":[{\"verify_code\":\"111111\"}]}"));

        var result = await CreateClient().SearchAsync(Challenge("x1"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Value!.SandboxCode, Is.EqualTo("918273"));
            Assert.That(result.ToString(), Does.Not.Contain("918273").And.Not.Contain("3481234567"));
            Assert.That(result.Value.Checks[0].ToString(), Does.Not.Contain("111111"));
        });
    }

    [Test]
    public async Task SearchAsync_TolerantShapes_AreRead()
    {
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\":\"x1\",\"date_submit\":\"1480499821000\",\"valid_until\":null,\"checks\":null,\"extra\":{\"a\":[1,2]}}"));
        var result = await CreateClient().SearchAsync("x1");
        Assert.Multiple(() =>
        {
            Assert.That(result.Value!.SubmittedAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1480499821000)));
            Assert.That(result.Value.ValidUntil, Is.Null);
            Assert.That(result.Value.Checks, Is.Empty);
        });
    }

    [TestCase("NO_PARAMS", OtpErrorCode.InvalidRequest)]
    [TestCase("VERIFY ID ERROR", OtpErrorCode.NotFound)]
    public async Task SearchAsync_ErrorMsg_MapsToError(string errorMsg, OtpErrorCode code)
    {
        Server.Answer(Endpoints.AmmSearch, Reply.Json(400, ErrorBody(errorMsg)));
        var result = await CreateClient().SearchAsync("x1");
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.False, "a read changes nothing");
        });
    }

    [TestCase(200, "[]")]
    [TestCase(200, "")]
    [TestCase(500, "")]
    public async Task SearchAsync_UnusableAnswer_IsErrorNotAccepted(int status, string body)
    {
        Server.Answer(Endpoints.AmmSearch, Reply.Text(status, body, "application/json"));
        var result = await CreateClient().SearchAsync("x1");
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Error!.MayHaveBeenAccepted, Is.False);
        });
    }
}
