using Microsoft.Extensions.DependencyInjection;
using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

public sealed partial class SendGuardTests
{
    private const string Ip1Ok = "{\"ID\": 42, \"Expires\": \"2026-11-22T10:20:00Z\"}";

    /// <summary>AMM, then iP1 on the same stand-in (their paths differ), in failover behind the guard.</summary>
    private static void AmmThenIp1(OtpClientBuilder otp, Uri address)
    {
        otp.UseIp1(o =>
        {
            o.BaseAddress = address;
            o.AccountId = "ip1-1";
            o.ApiKey = "key";
            o.MaxRetryAttempts = 0;
        });
        otp.UseFailover("Amm", "Ip1");
    }

    [Test]
    public async Task SendAsync_GuardInFrontOfFailover_CountsOneSendForBothProvidersAndRefusesBeforeEither()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Empty(503));
        Server.Answer(Endpoints.Ip1Create, Reply.Json(200, Ip1Ok));
        Server.Answer(Endpoints.Ip1Validate, Reply.Json(200, "{\"Valid\": false}"));
        var client = App(g => { NoRules(g); g.MaxSendsPerNumber = 1; g.MaxVerifyAttempts = 1; }, providers: otp => AmmThenIp1(otp, Server.BaseAddress())).Client;

        var first = await client.SendAsync(new OtpSendRequest(Israeli));
        var requestsAfterFirst = Server.RequestCount();
        var second = await client.SendAsync(new OtpSendRequest(Israeli));
        var wrong = await client.VerifyAsync(new OtpVerifyRequest(first.Challenge!, "12345"));
        var requestsAfterWrong = Server.RequestCount();
        var overCap = await client.VerifyAsync(new OtpVerifyRequest(first.Challenge!, "54321"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Challenge?.ProviderName, Is.EqualTo("iP1"), first.ToString());
            Assert.That(requestsAfterFirst, Is.EqualTo(2), "AMM's 503, then iP1's send: one guarded send");
            AssertRefused(second, OtpErrorCode.RateLimited, OtpGuardRules.Number);
            Assert.That(wrong.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode), wrong.ToString());
            Assert.That(overCap.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.VerifyAttempts));
            Assert.That(Server.Requests().Count(r => r.Path == "/api/authentications/validate"), Is.EqualTo(1), "the capped verify reached no provider");
            Assert.That(Server.RequestCount(), Is.EqualTo(requestsAfterWrong), "nothing after the refusals");
            Assert.That(Server.Requests().Count(r => r.Path is "/sms/v2/verify/send" or "/api/authentications" && r.Method == "POST"), Is.EqualTo(2));
        });
    }
}
