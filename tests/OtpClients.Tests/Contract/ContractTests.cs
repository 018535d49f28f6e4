using System.Text.Json;

namespace OtpClients.Tests.Contract;

public sealed class ContractTests
{
    [Test]
    public void OtpChallenge_JsonRoundTrip_KeepsEveryValue()
    {
        var challenge = new OtpChallenge("AMM", "c6cf59524c65d9c65d134d1137a86336558d19ba", "+393481234567")
        {
            ExpiresAt = new DateTimeOffset(2026, 11, 22, 10, 15, 0, TimeSpan.Zero),
        };

        var json = JsonSerializer.Serialize(challenge);
        var back = JsonSerializer.Deserialize<OtpChallenge>(json);

        Assert.That(back, Is.EqualTo(challenge));
        Assert.That(json, Does.Contain("\"ProviderName\":\"AMM\"").And.Contain("\"ExpiresAt\":\"2026-11-22T10:15:00+00:00\""));
    }

    [Test]
    public void OtpChallenge_JsonRoundTripWithoutExpiry_KeepsNull()
    {
        var challenge = new OtpChallenge("iP1", "42", "+46701234567");
        Assert.That(JsonSerializer.Deserialize<OtpChallenge>(JsonSerializer.Serialize(challenge)), Is.EqualTo(challenge));
    }

    [Test]
    public void OtpChallenge_ToString_MasksThePhoneNumber()
    {
        var text = new OtpChallenge("AMM", "id-1", "+393481234567").ToString();
        Assert.That(text, Does.Contain("+39*******567").And.Not.Contain("3481234567"));
    }

    [Test]
    public void OtpVerifyRequest_ToString_NeverPrintsTheCode()
    {
        var request = new OtpVerifyRequest(new OtpChallenge("AMM", "id-1", "+393481234567"), "918273") { ClientIpAddress = "192.0.2.1" };
        var text = request.ToString();
        Assert.That(text, Does.Not.Contain("918273").And.Not.Contain("3481234567").And.Contain("Code = ***"));
    }

    [Test]
    public void OtpSendRequest_ToString_MasksThePhoneNumber()
    {
        var text = new OtpSendRequest("+39 348 123 4567") { Sender = "Contoso", CodeLength = 6 }.ToString();
        Assert.That(text, Does.Contain("+39*******567").And.Contain("Contoso").And.Not.Contain("123 4567"));
    }

    [Test]
    public void OtpSendRequest_ToStringWithUnparsablePhone_PrintsStars()
    {
        Assert.That(new OtpSendRequest("3481234567").ToString(), Does.Contain("PhoneNumber = ***").And.Not.Contain("3481234567"));
    }

    [Test]
    public void OtpSendResult_Success_HasChallengeAndNoError()
    {
        var challenge = new OtpChallenge("AMM", "x", "+393481234567");
        var result = OtpSendResult.Success(challenge);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(result.Challenge, Is.SameAs(challenge));
            Assert.That(result.Error, Is.Null);
        });
    }

    [Test]
    public void OtpSendResult_Failure_HasErrorAndNoChallenge()
    {
        var error = new OtpError(OtpErrorCode.RateLimited, "slow down") { IsTransient = true };
        var result = OtpSendResult.Failure(error);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Challenge, Is.Null);
            Assert.That(result.Error, Is.SameAs(error));
            Assert.That(result.ToString(), Does.Contain("RateLimited"));
        });
    }

    [Test]
    public void OtpSendResult_Factories_RejectNull()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentNullException>(() => OtpSendResult.Success(null!));
            Assert.Throws<ArgumentNullException>(() => OtpSendResult.Failure(null!));
            Assert.Throws<ArgumentNullException>(() => OtpVerifyResult.Failure(null!));
        });
    }

    [Test]
    public void OtpVerifyResult_Verified_IsVerifiedWithoutError()
    {
        var result = OtpVerifyResult.Verified("VERIFIED");
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True);
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Verified));
            Assert.That(result.Error, Is.Null);
            Assert.That(result.ProviderStatus, Is.EqualTo("VERIFIED"));
        });
    }

    [TestCase(OtpVerificationStatus.InvalidCode)]
    [TestCase(OtpVerificationStatus.Expired)]
    [TestCase(OtpVerificationStatus.AlreadyUsed)]
    [TestCase(OtpVerificationStatus.Cancelled)]
    [TestCase(OtpVerificationStatus.TooManyAttempts)]
    [TestCase(OtpVerificationStatus.NotFound)]
    public void OtpVerifyResult_Rejected_IsNotVerifiedWithoutError(OtpVerificationStatus status)
    {
        var result = OtpVerifyResult.Rejected(status, "RAW");
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Status, Is.EqualTo(status));
            Assert.That(result.Error, Is.Null);
        });
    }

    [TestCase(OtpVerificationStatus.Verified)]
    [TestCase(OtpVerificationStatus.Failed)]
    [TestCase((OtpVerificationStatus)99)]
    public void OtpVerifyResult_RejectedWithVerifiedOrFailed_Throws(OtpVerificationStatus status) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OtpVerifyResult.Rejected(status));

    [Test]
    public void OtpVerifyResult_Failure_IsFailedWithError()
    {
        var error = new OtpError(OtpErrorCode.Timeout, "late") { MayHaveBeenAccepted = true };
        var result = OtpVerifyResult.Failure(error);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Error, Is.SameAs(error));
        });
    }
}
