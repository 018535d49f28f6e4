using Microsoft.Extensions.DependencyInjection;
using OtpClients.Amm;

namespace OtpClients.Tests.Emulator;

public sealed partial class EmulatorEndToEndTests
{
    private const string ItalianPhone = "+39 348 123 4567";

    private AmmOtpClient Amm(Action<AmmOptions>? configure = null) => Resolve<AmmOtpClient>(otp => otp.UseAmm(o =>
    {
        Emulator.ConfigureAmm(o);
        configure?.Invoke(o);
    }));

    [Test]
    public async Task Amm_SendReadOutboxVerify_IsVerified()
    {
        var client = Amm();
        var (challenge, code) = await SendAsync(client, ItalianPhone);

        var result = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        var message = Emulator.Outbox.LastFor(ItalianPhone)!;
        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True);
            Assert.That(challenge.ProviderName, Is.EqualTo("AMM"));
            Assert.That(message.Text, Is.EqualTo($"Your verification code is {code}"));
            Assert.That(message.Id, Is.EqualTo(challenge.Id));
            Assert.That(code, Has.Length.EqualTo(4), "AMM's default code length");
        });
    }

    [Test]
    public async Task Amm_WrongCodeThenReuse_InvalidCodeThenAlreadyUsed()
    {
        var client = Amm();
        var (challenge, code) = await SendAsync(client, ItalianPhone);

        var wrong = await client.VerifyAsync(new OtpVerifyRequest(challenge, Wrong(code)));
        var right = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));
        var again = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        Assert.Multiple(() =>
        {
            Assert.That(wrong.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(right.IsVerified, Is.True);
            Assert.That(again.Status, Is.EqualTo(OtpVerificationStatus.AlreadyUsed));
        });
    }

    [Test]
    public async Task Amm_TimePastTtl_IsExpired()
    {
        var client = Amm();
        var (challenge, code) = await SendAsync(client, ItalianPhone, new OtpSendRequest(ItalianPhone) { TimeToLive = TimeSpan.FromSeconds(30) });

        Clock.Advance(TimeSpan.FromSeconds(31));
        var result = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Expired));
    }

    [Test]
    public async Task Amm_MaxRetriesSpentWithDetectSpentAttempts_IsTooManyAttemptsEvenForTheRightCode()
    {
        var client = Amm(o =>
        {
            o.MaxRetry = 2;
            o.DetectSpentAttempts = true;
        });
        var (challenge, code) = await SendAsync(client, ItalianPhone);

        var first = await client.VerifyAsync(new OtpVerifyRequest(challenge, Wrong(code)));
        var second = await client.VerifyAsync(new OtpVerifyRequest(challenge, Wrong(code)));
        var right = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(second.Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts));
            Assert.That(right.Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts));
        });
    }

    [Test]
    public async Task Amm_MaxRetriesSpentByDefault_IsInvalidCodeAndNeverVerifies()
    {
        var client = Amm(o => o.MaxRetry = 2);
        var (challenge, code) = await SendAsync(client, ItalianPhone);

        await client.VerifyAsync(new OtpVerifyRequest(challenge, Wrong(code)));
        var second = await client.VerifyAsync(new OtpVerifyRequest(challenge, Wrong(code)));
        var right = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        Assert.Multiple(() =>
        {
            Assert.That(second.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode), "without the look-up, AMM's FAILED is a wrong code");
            Assert.That(right.IsVerified, Is.False, "a closed request never verifies");
        });
    }

    [Test]
    public async Task Amm_Cancel_ThenVerifyIsCancelled()
    {
        var client = Amm();
        var (challenge, code) = await SendAsync(client, ItalianPhone);

        var cancel = await client.CancelAsync(challenge);
        var result = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));
        var cancelAgain = await client.CancelAsync(challenge);

        Assert.Multiple(() =>
        {
            Assert.That(cancel.IsSuccess, Is.True);
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Cancelled));
            Assert.That(cancelAgain.Error!.ProviderCode, Is.EqualTo("BAD STATUS"));
        });
    }

    [Test]
    public async Task Amm_EleventhSendInAnHour_IsRateLimitedAndNotFailedOver()
    {
        var client = Amm();
        for (var i = 0; i < 10; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest(ItalianPhone))).IsSuccess, Is.True);
        }

        var eleventh = await client.SendAsync(new OtpSendRequest(ItalianPhone));
        Clock.Advance(TimeSpan.FromMinutes(61));
        var later = await client.SendAsync(new OtpSendRequest(ItalianPhone));

        Assert.Multiple(() =>
        {
            Assert.That(eleventh.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(eleventh.Error.ProviderCode, Is.EqualTo("ANTISPAM"));
            Assert.That(Failover.FailoverOtpClient.ShouldFailOver(eleventh.Error), Is.False);
            Assert.That(later.IsSuccess, Is.True, "the window is 60 minutes");
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(11));
        });
    }

    [Test]
    public async Task Amm_SandboxSearch_ReturnsTheCodeAndChecks()
    {
        var client = Amm(o => o.Sandbox = true);
        var (challenge, code) = await SendAsync(client, ItalianPhone);
        await client.VerifyAsync(new OtpVerifyRequest(challenge, code) { ClientIpAddress = "192.0.2.7" });

        var history = (await client.SearchAsync(challenge)).Value!;

        Assert.Multiple(() =>
        {
            Assert.That(history.SandboxCode, Is.EqualTo(code));
            Assert.That(history.Status, Is.EqualTo("VERIFIED"));
            Assert.That(history.To, Is.EqualTo("393481234567"));
            Assert.That(history.Checks.Single().IpAddress, Is.EqualTo("192.0.2.7"));
            Assert.That(history.ValidUntil - history.SubmittedAt, Is.EqualTo(TimeSpan.FromSeconds(300)));
        });
    }

    [Test]
    public async Task Amm_WrongCredentials_Unauthorized()
    {
        var client = Amm(o => o.AuthSecret = "wrong");
        var result = await client.SendAsync(new OtpSendRequest(ItalianPhone));
        Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.Unauthorized));
    }
}
