using Microsoft.Extensions.DependencyInjection;
using OtpClients.NinetyNineDigital;

namespace OtpClients.Tests.Emulator;

public sealed partial class EmulatorEndToEndTests
{
    private const string IsraeliPhone = "+972 50-123-4567";

    private NinetyNineDigitalOtpClient NinetyNine(Action<NinetyNineDigitalOptions>? configure = null) => Resolve<NinetyNineDigitalOtpClient>(otp => otp.UseNinetyNineDigital(o =>
    {
        Emulator.ConfigureNinetyNineDigital(o);
        configure?.Invoke(o);
    }));

    [Test]
    public async Task NinetyNineDigital_SendReadOutboxVerify_IsVerified()
    {
        var client = NinetyNine();
        var (challenge, code) = await SendAsync(client, IsraeliPhone, new OtpSendRequest(IsraeliPhone) { MessageTemplate = "קוד: {code}" });

        var result = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True);
            Assert.That(Emulator.Outbox.LastFor(IsraeliPhone)!.Text, Is.EqualTo("קוד: " + code));
            Assert.That(challenge.ExpiresAt, Is.EqualTo(Clock.GetUtcNow().AddMinutes(10)).Within(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task NinetyNineDigital_WrongReusedExpired_AreNotVerifiedWithTheRawStatus()
    {
        var client = NinetyNine();
        var (challenge, code) = await SendAsync(client, IsraeliPhone);
        var wrong = await client.VerifyAsync(new OtpVerifyRequest(challenge, Wrong(code)));
        var right = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));
        var again = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        var (expiring, expiringCode) = await SendAsync(client, IsraeliPhone);
        Clock.Advance(TimeSpan.FromMinutes(10));
        var expired = await client.VerifyAsync(new OtpVerifyRequest(expiring, expiringCode));

        Assert.Multiple(() =>
        {
            Assert.That((wrong.Status, wrong.ProviderStatus), Is.EqualTo((OtpVerificationStatus.InvalidCode, "0")));
            Assert.That(right.IsVerified, Is.True);
            Assert.That((again.Status, again.ProviderStatus), Is.EqualTo((OtpVerificationStatus.InvalidCode, "3")), "99digital's equivalent of already used");
            Assert.That((expired.Status, expired.ProviderStatus), Is.EqualTo((OtpVerificationStatus.InvalidCode, "2")), "99digital's equivalent of expired");
        });
    }

    [Test]
    public async Task NinetyNineDigital_WrongApiKey_UnauthorizedOnSendAndCheck()
    {
        var client = NinetyNine(o => o.ApiKey = "wrong");
        var send = await client.SendAsync(new OtpSendRequest(IsraeliPhone));
        var check = await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge("99digital", "1", "+972501234567"), "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(send.Error!.Code, Is.EqualTo(OtpErrorCode.Unauthorized));
            Assert.That(check.Error!.Code, Is.EqualTo(OtpErrorCode.Unauthorized));
        });
    }

    [TestCase("0500000000", true)]
    [TestCase("+972 50 000 0000", true)]
    [TestCase("0509999999", false)]
    public async Task NinetyNineDigital_NumericSender_MustBeApproved(string sender, bool approved)
    {
        var result = await NinetyNine().SendAsync(new OtpSendRequest(IsraeliPhone) { Sender = sender });
        Assert.That(result.IsSuccess ? null : result.Error!.ProviderCode, Is.EqualTo(approved ? null : "3"));
    }
}
