using Microsoft.Extensions.DependencyInjection;
using OtpClients.Ip1;

namespace OtpClients.Tests.Emulator;

public sealed partial class EmulatorEndToEndTests
{
    private const string SwedishPhone = "+46 70 123 45 67";

    private Ip1OtpClient Ip1(Action<Ip1Options>? configure = null) => Resolve<Ip1OtpClient>(otp => otp.UseIp1(o =>
    {
        Emulator.ConfigureIp1(o);
        configure?.Invoke(o);
    }));

    [Test]
    public async Task Ip1_SendReadOutboxVerify_IsVerified()
    {
        var client = Ip1();
        var (challenge, code) = await SendAsync(client, SwedishPhone, new OtpSendRequest(SwedishPhone) { MessageTemplate = "{brand} code: {code}", CodeLength = 8 });

        var result = await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True);
            Assert.That(code, Has.Length.EqualTo(8));
            Assert.That(Emulator.Outbox.LastFor(SwedishPhone)!.Text, Is.EqualTo($"{{brand}} code: {code}"), "braces survive iP1's composite formatting");
            Assert.That(challenge.ExpiresAt, Is.EqualTo(Clock.GetUtcNow().AddSeconds(1200)).Within(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task Ip1_WrongCodeThenReuse_InvalidCodeThenAlreadyUsed()
    {
        var client = Ip1(o => o.NumericOnly = true);
        var (challenge, code) = await SendAsync(client, SwedishPhone);

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
    public async Task Ip1_TimePastTtl_IsExpired()
    {
        var client = Ip1();
        var (challenge, code) = await SendAsync(client, SwedishPhone, new OtpSendRequest(SwedishPhone) { TimeToLive = TimeSpan.FromSeconds(60) });

        Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.That((await client.VerifyAsync(new OtpVerifyRequest(challenge, code))).Status, Is.EqualTo(OtpVerificationStatus.Expired));
    }

    [Test]
    public async Task Ip1_SixthConcurrentAuthentication_IsRateLimited()
    {
        var client = Ip1();
        for (var i = 0; i < 5; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest(SwedishPhone))).IsSuccess, Is.True);
        }

        var sixth = await client.SendAsync(new OtpSendRequest(SwedishPhone));

        Assert.Multiple(() =>
        {
            Assert.That(sixth.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(sixth.Error.IsTransient, Is.True);
            Assert.That(Failover.FailoverOtpClient.ShouldFailOver(sixth.Error), Is.False, "a per-recipient limit is not evaded by failover");
        });
    }

    [Test]
    public async Task Ip1_Settings_ApplyToLaterAuthentications()
    {
        var client = Ip1();
        var updated = await client.UpdateSettingsAsync(new Ip1Settings { ConcurrentLimit = 1, CodeLength = 7, NumericOnly = true, MessageTemplate = "Kod {code}" });
        var read = await client.GetSettingsAsync();
        var (_, code) = await SendAsync(client, SwedishPhone);
        var second = await client.SendAsync(new OtpSendRequest(SwedishPhone));

        Assert.Multiple(() =>
        {
            Assert.That(updated.IsSuccess, Is.True);
            Assert.That(read.Value!.MessageTemplate, Is.EqualTo("Kod {code}"));
            Assert.That(code, Does.Match("^[0-9]{7}$"));
            Assert.That(Emulator.Outbox.LastFor(SwedishPhone)!.Text, Is.EqualTo("Kod " + code));
            Assert.That(second.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited), "ConcurrentLimit 1");
        });
    }

    [Test]
    public async Task Ip1_GetAndList_ReadTheAuthentications()
    {
        var client = Ip1();
        var (challenge, code) = await SendAsync(client, SwedishPhone);
        await client.VerifyAsync(new OtpVerifyRequest(challenge, code));

        var one = await client.GetAuthenticationAsync(challenge);
        var all = await client.ListAuthenticationsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(one.Value!.IsUsed, Is.True);
            Assert.That(one.Value.Phone, Is.EqualTo("46701234567"));
            Assert.That(all.Value!.Select(a => a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), Does.Contain(challenge.Id));
        });
    }

    [Test]
    public async Task Ip1_WrongCredentials_Unauthorized()
    {
        var client = Ip1(o => o.ApiKey = "wrong");
        Assert.That((await client.SendAsync(new OtpSendRequest(SwedishPhone))).Error!.Code, Is.EqualTo(OtpErrorCode.Unauthorized));
    }
}
