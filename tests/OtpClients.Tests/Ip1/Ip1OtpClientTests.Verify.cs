using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Ip1;

public sealed partial class Ip1OtpClientTests
{
    [Test]
    public async Task VerifyAsync_ValidCode_PostsPhoneAndCodeAndIsVerified()
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(200, $"{{\"Valid\": true, \"Authentication\": {Authentication(42, isUsed: true)}, \"Phone\": \"{Msisdn}\", \"Code\": \"AB12C\"}}"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "AB12C"));

        AssertRequest(Server.SingleRequest(), "POST", "/api/authentications/validate", $"{{\"Phone\":\"{Msisdn}\",\"Code\":\"AB12C\"}}");
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True);
            Assert.That(result.ProviderStatus, Is.EqualTo("Valid"));
        });
    }

    [TestCase("{\"Valid\": true, \"Authentication\": null}")]
    [TestCase("{\"Valid\": true}")]
    [TestCase("{\"Valid\": true, \"Authentication\": {}}")]
    [TestCase("{\"Valid\": true, \"Authentication\": {\"ID\": null}}")]
    [TestCase("{\"Valid\": true, \"Authentication\": {\"Phone\": \"46701234567\"}}")]
    public async Task VerifyAsync_ValidWithoutTheAuthenticationId_FailsClosedMayHaveBeenAccepted(string body)
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(200, body));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "AB12C"));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True, "iP1 may have consumed the code");
            Assert.That(Server.SingleRequest().Path, Is.EqualTo("/api/authentications/validate"));
        });
    }

    [Test]
    public async Task VerifyAsync_ValidForAnotherAuthentication_IsInvalidCode()
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(200, $"{{\"Valid\": true, \"Authentication\": {Authentication(41, isUsed: true)}}}"));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge("42"), "AB12C"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False, "a code of another SMS to the same phone does not verify this challenge");
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
        });
    }

    [TestCase(false, false, OtpVerificationStatus.InvalidCode)]
    [TestCase(true, false, OtpVerificationStatus.Expired)]
    [TestCase(false, true, OtpVerificationStatus.AlreadyUsed)]
    [TestCase(true, true, OtpVerificationStatus.Expired)]
    public async Task VerifyAsync_NotValid_LooksUpTheAuthenticationToTellWhy(bool hasExpired, bool isUsed, OtpVerificationStatus expected)
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(200, "{\"Valid\": false, \"Authentication\": null}"));
        Server.Answer(Endpoints.Ip1Get(42), Reply.Json(200, Authentication(42, hasExpired, isUsed)));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge("42"), "WRONG"));

        var requests = Server.Requests();
        Assert.That(requests, Has.Count.EqualTo(2));
        AssertRequest(requests[1], "GET", "/api/authentications/42", null);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(expected));
            Assert.That(result.ProviderStatus, Is.EqualTo("Invalid"));
            Assert.That(result.Error, Is.Null);
        });
    }

    [TestCase(500, "")]
    [TestCase(404, "")]
    [TestCase(200, "<html/>")]
    [TestCase(200, "{}")]
    public async Task VerifyAsync_NotValidAndLookupFails_IsInvalidCode(int status, string body)
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(200, "{\"Valid\": false}"));
        Server.Answer(Endpoints.Ip1Get(42), Reply.Text(status, body, "application/json"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "WRONG"));
        Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
    }

    [TestCase(404, "")]
    [TestCase(400, "{\"Message\":\"Invalid code\"}")]
    public async Task VerifyAsync_WrongCodeAnsweredAs4xx_IsClassifiedByLookup(int status, string body)
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Text(status, body, "application/json"));
        Server.Answer(Endpoints.Ip1Get(42), Reply.Json(200, Authentication(42, hasExpired: true)));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "WRONG"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Expired));
            Assert.That(result.ProviderStatus, Is.EqualTo($"HTTP {status}"));
        });
    }

    [TestCase(400, "{\"ModelState\":{\"model.Phone\":[\"bad\"]}}", OtpErrorCode.InvalidPhoneNumber)]
    [TestCase(401, "", OtpErrorCode.Unauthorized)]
    [TestCase(403, "", OtpErrorCode.InsufficientCredit)]
    [TestCase(500, "", OtpErrorCode.ProviderError)]
    [TestCase(503, "", OtpErrorCode.ProviderUnavailable)]
    public async Task VerifyAsync_ErrorAnswer_IsFailed(int status, string body, OtpErrorCode code)
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Text(status, body, "application/json"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "AB12C"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(code));
            Assert.That(Server.RequestCount(), Is.EqualTo(1));
        });
    }

    [TestCase("{}")]
    [TestCase("{\"Valid\": \"true\"}")]
    [TestCase("{\"Valid\": 1}")]
    [TestCase("{\"Valid\": null}")]
    [TestCase("")]
    [TestCase("true")]
    public async Task VerifyAsync_UnreadableAnswer_IsFailedNeverVerified(string body)
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Text(200, body, "application/json"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "AB12C"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True, "the code may have been consumed");
        });
    }

    [TestCase(201)]
    [TestCase(202)]
    public async Task VerifyAsync_ValidWithUndocumentedSuccessStatus_IsFailedNeverVerified(int status)
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(status, "{\"Valid\": true}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "AB12C"));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
        });
    }

    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("4.2")]
    [TestCase("99999999999999999999")]
    public async Task VerifyAsync_NonNumericChallengeId_FailsWithoutHttp(string id)
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(id), "AB12C"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(result.Error.Message, Does.Contain("Challenge.Id"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task VerifyAsync_ChallengeOfAnotherProvider_FailsWithoutHttp()
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(new OtpChallenge("AMM", "42", "+" + Msisdn), "AB12C"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Message, Does.Contain("Challenge.ProviderName"));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task VerifyAsync_ErrorMessageEchoingTheCode_IsRedacted()
    {
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(401, "{\"Message\":\"Denied for code XY98Z\"}"));
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(Challenge(), "XY98Z"));
        Assert.That(result.Error!.Message, Does.Not.Contain("XY98Z"));
    }
}
