using Microsoft.Extensions.Time.Testing;
using OtpClients.Testing;

namespace OtpClients.Tests.Emulator;

public sealed class FakeOtpClientTests
{
    private const string Phone = "+39 348 123 4567";

    [Test]
    public async Task SendAsync_ThenVerifyWithLastCode_IsVerifiedOnce()
    {
        var otp = new FakeOtpClient();
        var sent = await otp.SendAsync(new OtpSendRequest(Phone));
        var code = otp.LastCodeFor("+393481234567")!;

        var first = await otp.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, code));
        var again = await otp.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, code));

        Assert.Multiple(() =>
        {
            Assert.That(sent.Challenge!.ProviderName, Is.EqualTo("fake"));
            Assert.That(sent.Challenge.PhoneNumber, Is.EqualTo("+393481234567"));
            Assert.That(code, Does.Match("^[0-9]{6}$"));
            Assert.That(first.IsVerified, Is.True);
            Assert.That(again.Status, Is.EqualTo(OtpVerificationStatus.AlreadyUsed));
            Assert.That(otp.Sends, Has.Count.EqualTo(1));
            Assert.That(otp.Sends[0].ToString(), Does.Not.Contain(code));
        });
    }

    [Test]
    public async Task VerifyAsync_WrongThenTooMany_ThenExpired()
    {
        var clock = new FakeTimeProvider();
        var otp = new FakeOtpClient("AMM", clock) { CodeGenerator = _ => "1234", MaxAttempts = 2 };
        var sent = await otp.SendAsync(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromMinutes(1) });
        var wrong1 = await otp.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "0000"));
        var wrong2 = await otp.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "0000"));
        var locked = await otp.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "1234"));

        var other = await otp.SendAsync(new OtpSendRequest(Phone) { TimeToLive = TimeSpan.FromMinutes(1) });
        clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await otp.VerifyAsync(new OtpVerifyRequest(other.Challenge!, "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(wrong1.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(wrong2.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(locked.Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts));
            Assert.That(expired.Status, Is.EqualTo(OtpVerificationStatus.Expired));
            Assert.That(sent.Challenge!.ExpiresAt, Is.EqualTo(clock.GetUtcNow()));
        });
    }

    [Test]
    public async Task Scripted_FailNextSendAndNextVerify_AreReturnedInOrder()
    {
        var otp = new FakeOtpClient();
        otp.FailNextSend(new OtpError(OtpErrorCode.ProviderUnavailable, "down") { IsTransient = true });
        otp.SetNextVerifyResult(OtpVerifyResult.Rejected(OtpVerificationStatus.Cancelled));

        var failed = await otp.SendAsync(new OtpSendRequest(Phone));
        var sent = await otp.SendAsync(new OtpSendRequest(Phone));
        var cancelled = await otp.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, otp.LastCodeFor(Phone)!));
        var verified = await otp.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, otp.LastCodeFor(Phone)!));

        Assert.Multiple(() =>
        {
            Assert.That(failed.Error!.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(sent.IsSuccess, Is.True);
            Assert.That(cancelled.Status, Is.EqualTo(OtpVerificationStatus.Cancelled));
            Assert.That(verified.IsVerified, Is.True);
        });
    }

    [Test]
    public async Task SendAsync_BadInput_FailsLikeTheRealClients()
    {
        var otp = new FakeOtpClient();
        var phone = await otp.SendAsync(new OtpSendRequest("3481234567"));
        var template = await otp.SendAsync(new OtpSendRequest(Phone) { MessageTemplate = "no code" });
        var foreign = await otp.VerifyAsync(new OtpVerifyRequest(new OtpChallenge("iP1", "1", "+393481234567"), "1"));
        var unknown = await otp.VerifyAsync(new OtpVerifyRequest(new OtpChallenge("fake", "nope", "+393481234567"), "1"));
        Assert.Multiple(() =>
        {
            Assert.That(phone.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidPhoneNumber));
            Assert.That(template.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidMessage));
            Assert.That(foreign.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(unknown.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(otp.Sends, Is.Empty);
            Assert.That(otp.LastCodeFor(Phone), Is.Null);
        });
    }

    /// <summary>The README's example: an app's own service, tested with FakeOtpClient.</summary>
    [Test]
    public async Task ReadmeExample_AppServiceTestedWithFake()
    {
        var otp = new FakeOtpClient();
        var login = new PhoneLogin(otp);

        var challenge = await login.StartAsync("+39 348 123 4567");
        var ok = await login.FinishAsync(challenge, otp.LastCodeFor("+39 348 123 4567")!);

        Assert.That(ok, Is.True);
    }

    private sealed class PhoneLogin(IOtpClient otp)
    {
        public async Task<OtpChallenge> StartAsync(string phone) =>
            (await otp.SendAsync(new OtpSendRequest(phone) { MessageTemplate = "Your Contoso code is {code}" })).Challenge
            ?? throw new InvalidOperationException("send failed");

        public async Task<bool> FinishAsync(OtpChallenge challenge, string code) =>
            (await otp.VerifyAsync(new OtpVerifyRequest(challenge, code))).IsVerified;
    }
}
