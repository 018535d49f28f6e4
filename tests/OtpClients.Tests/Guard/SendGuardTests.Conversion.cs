using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

public sealed partial class SendGuardTests
{
    private static void Conversion(OtpSendGuardOptions g)
    {
        NoRules(g);
        g.Conversion.Enabled = true;
        g.Conversion.MinSends = 4;
        g.Conversion.MaxUnverifiedRatio = 0.5;
        g.Conversion.GracePeriod = TimeSpan.FromMinutes(5);
        g.Conversion.Window = TimeSpan.FromHours(1);
    }

    [Test]
    public async Task SendAsync_RegionWhoseSendsNeverVerify_IsThrottledUntilItRecovers()
    {
        var client = App(Conversion).Client;
        for (var i = 0; i < 4; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest($"+97254111000{i}"))).IsSuccess, Is.True);
        }

        var withinGrace = await client.SendAsync(new OtpSendRequest("+972541110009"));
        Clock.Advance(TimeSpan.FromMinutes(6));
        var pumped = await client.SendAsync(new OtpSendRequest("+972541110010"));
        var otherRegion = await client.SendAsync(new OtpSendRequest(Italian));

        Assert.Multiple(() =>
        {
            Assert.That(withinGrace.IsSuccess, Is.True, "young sends are given time to verify");
            AssertRefused(pumped, OtpErrorCode.RateLimited, OtpGuardRules.Conversion);
            Assert.That(pumped.Error!.RetryAfter, Is.EqualTo(TimeSpan.FromMinutes(54)), "when the oldest send leaves the window");
            Assert.That(pumped.Error.Message, Does.Contain("IL"));
            Assert.That(otherRegion.IsSuccess, Is.True);
            Assert.That(Sends(), Is.EqualTo(6));
        });

        Clock.Advance(TimeSpan.FromMinutes(55));
        Assert.That((await client.SendAsync(new OtpSendRequest("+972541110011"))).IsSuccess, Is.True, "the window slid past the unverified sends");
    }

    [Test]
    public async Task SendAsync_RegionWhoseSendsVerify_IsNotThrottled()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var client = App(Conversion).Client;
        for (var i = 0; i < 4; i++)
        {
            var sent = await client.SendAsync(new OtpSendRequest($"+97254111000{i}"));
            if (i < 2)
            {
                Assert.That((await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "123456"))).IsVerified, Is.True);
            }
        }

        Clock.Advance(TimeSpan.FromMinutes(6));
        var half = await client.SendAsync(new OtpSendRequest("+972541110010"));
        Clock.Advance(TimeSpan.FromMinutes(6));
        var tooMany = await client.SendAsync(new OtpSendRequest("+972541110011"));

        Assert.Multiple(() =>
        {
            Assert.That(half.IsSuccess, Is.True, "2 of 4 unverified is the threshold, not above it: " + half);
            AssertRefused(tooMany, OtpErrorCode.RateLimited, OtpGuardRules.Conversion);
        });
    }
}
