using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>
/// A send or verify the provider surely did not accept (transient, not "may have been accepted") gives back what the
/// guard counted for it, except the IP budget; one that may have reached the provider, or that the provider refused on
/// its merits (the request, or the recipient's limit), keeps every count.
/// </summary>
public sealed partial class SendGuardTests
{
    [Test]
    public async Task SendAsync_ProviderUnavailable_GivesBackCooldownNumberRegionAndHourlyCounts()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Empty(503), Reply.Json(200, AmmOk));
        var client = App(g =>
        {
            NoRules(g);
            g.Cooldown = TimeSpan.FromSeconds(30);
            g.MaxSendsPerNumber = 1;
            g.MaxSendsPerRegion = 1;
            g.MaxSendsPerHour = 1;
        }).Client;

        var outage = await client.SendAsync(new OtpSendRequest(Israeli));
        var retry = await client.SendAsync(new OtpSendRequest(Israeli));
        var third = await client.SendAsync(new OtpSendRequest(Israeli));

        Assert.Multiple(() =>
        {
            Assert.That((outage.Error?.Code, outage.Error?.IsTransient, outage.Error?.MayHaveBeenAccepted), Is.EqualTo(((OtpErrorCode?)OtpErrorCode.ProviderUnavailable, (bool?)true, (bool?)false)), outage.ToString());
            Assert.That(retry.IsSuccess, Is.True, "the retry after the outage is not held back by the send that never went: " + retry);
            AssertRefused(third, OtpErrorCode.RateLimited, OtpGuardRules.Cooldown);
            Assert.That(Sends(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task SendAsync_ProviderUnavailable_KeepsTheIpCount()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Empty(503), Reply.Json(200, AmmOk));
        var client = App(g => { NoRules(g); g.MaxSendsPerIp = 1; }).Client;

        var outage = await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "203.0.113.9" });
        var retry = await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "203.0.113.9" });

        Assert.Multiple(() =>
        {
            Assert.That(outage.Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            AssertRefused(retry, OtpErrorCode.RateLimited, OtpGuardRules.Ip);
            Assert.That(Sends(), Is.EqualTo(1), "a client hammering through an outage is still throttled");
        });
    }

    [TestCase(500, "", TestName = "SendAsync_ProviderFailedAfterItMayHaveSent_KeepsTheCounts")]
    [TestCase(401, "", TestName = "SendAsync_ProviderRefusedTheRequest_KeepsTheCounts")]
    [TestCase(429, "{\"errorMsg\": \"ANTISPAM\", \"errorCode\": 429}", TestName = "SendAsync_ProviderRecipientLimit_KeepsTheCounts")]
    public async Task SendAsync_FailureThatMaySendOrIsNotAnOutage_KeepsTheCounts(int status, string body)
    {
        Server.Answer(Endpoints.AmmSend, Reply.Text(status, body, "application/json"), Reply.Json(200, AmmOk));
        var client = App(g => { NoRules(g); g.Cooldown = TimeSpan.FromSeconds(30); }).Client;

        var failed = await client.SendAsync(new OtpSendRequest(Israeli));
        var retry = await client.SendAsync(new OtpSendRequest(Israeli));

        Assert.Multiple(() =>
        {
            Assert.That(failed.IsSuccess, Is.False);
            Assert.That(failed.Error!.MayHaveBeenAccepted || !failed.Error.IsTransient || failed.Error.IsRecipientLimit, Is.True, failed.ToString());
            AssertRefused(retry, OtpErrorCode.RateLimited, OtpGuardRules.Cooldown);
            Assert.That(Sends(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_OutageSendsOfARegion_AreNotCountedAsUnverifiedByTheConversionGuard()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Empty(503), Reply.Empty(503), Reply.Empty(503), Reply.Empty(503), Reply.Json(200, AmmOk));
        var client = App(Conversion).Client;
        for (var i = 0; i < 4; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest($"+97254111000{i}"))).Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
        }

        Clock.Advance(TimeSpan.FromMinutes(6));
        var afterOutage = await client.SendAsync(new OtpSendRequest("+972541110010"));

        Assert.Multiple(() =>
        {
            Assert.That(afterOutage.IsSuccess, Is.True, "four sends that never went are not four codes nobody verified: " + afterOutage);
            Assert.That(Sends(), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task VerifyAsync_ProviderUnavailable_GivesBackTheVerifyAttempt()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Empty(503), Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var client = App(g => { NoRules(g); g.MaxVerifyAttempts = 1; }).Client;
        var sent = await client.SendAsync(new OtpSendRequest(Israeli));

        var outage = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "123456"));
        var retry = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(outage.Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable), outage.ToString());
            Assert.That(retry.IsVerified, Is.True, "the one attempt the app allows was not spent by the outage: " + retry);
            Assert.That(Checks(), Is.EqualTo(2));
        });
    }
}
