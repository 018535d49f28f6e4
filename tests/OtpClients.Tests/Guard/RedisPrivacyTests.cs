using OtpClients.Tests.Infrastructure;
using StackExchange.Redis;

namespace OtpClients.Tests.Guard;

/// <summary>
/// Everything the guard and the sessions leave in a real redis-server, read back over a raw connection: every key is
/// under the prefix, and no key or value shows a phone number, an IP address, a code or the provider's challenge id.
/// </summary>
public sealed class RedisPrivacyTests() : GuardFixture(StoreKind.Redis)
{
    /// <summary>Empties the server: the dump then holds only what this test wrote.</summary>
    [SetUp]
    public async Task FlushAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Redis!.Configuration + ",allowAdmin=true");
        await connection.GetServer(connection.GetEndPoints()[0]).FlushAllDatabasesAsync();
    }

    [Test]
    public async Task Redis_AfterGuardedSendsSessionsAndChecks_HoldsNoNumberIpCodeOrChallenge()
    {
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"amm-challenge-77\"}"));
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var app = App(
            g =>
            {
                g.MaxSendsPerRegion = 100;
                g.MaxSendsPerHour = 100;
                g.Conversion.Enabled = true;
                g.Cooldown = TimeSpan.FromSeconds(1);
            },
            s => s.MaxAttempts = 3);

        var first = await app.Sessions.StartAsync(new OtpSendRequest("+972 54 765 4321") { ClientIpAddress = "203.0.113.45" });
        Clock.Advance(TimeSpan.FromSeconds(2));
        var second = await app.Sessions.StartAsync(new OtpSendRequest("+39 348 765 4321") { ClientIpAddress = "2001:db8:77::45" });
        var verified = await app.Sessions.CheckAsync(first.VerificationId!, "918273", "203.0.113.45");
        var sent = await app.Client.SendAsync(new OtpSendRequest("+972 54 999 8888") { ClientIpAddress = "203.0.113.45" });
        await app.Client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "564738"));
        Assert.That(first.IsSuccess && second.IsSuccess && verified.IsVerified && sent.IsSuccess, Is.True, "the scenario ran");

        var (keys, text) = await DumpAsync();

        Assert.Multiple(() =>
        {
            Assert.That(keys, Is.Not.Empty);
            Assert.That(keys, Is.All.StartsWith(KeyPrefix), "every key is under the configured prefix");
            Assert.That(keys.Count(k => k.StartsWith(KeyPrefix + "s:", StringComparison.Ordinal)), Is.EqualTo(1), "the verified session is gone; the open one remains");
            foreach (var secret in new[]
            {
                "7654321", "765 4321", "9998888", "203.0.113", "2001:db8", "918273", "564738", "amm-challenge-77",
                first.VerificationId!, second.VerificationId!,
            })
            {
                Assert.That(text, Does.Not.Contain(secret), $"Redis shows '{secret}'");
            }
        });
    }

    [Test]
    public async Task Redis_SameNumberOnTwoInstancesWithOneHashKey_SharesOneCounterKey()
    {
        var a = App(g => { NoRules(g); g.MaxSendsPerNumber = 5; }).Client;
        var b = App(g => { NoRules(g); g.MaxSendsPerNumber = 5; }).Client;

        await a.SendAsync(new OtpSendRequest("+972 54 123 4567"));
        await b.SendAsync(new OtpSendRequest("+972541234567"));

        var (keys, _) = await DumpAsync();
        Assert.That(keys.Where(k => k.Contains(":g:number:", StringComparison.Ordinal)).ToArray(), Has.Length.EqualTo(1), "one number, written two ways, on two instances: one keyed hash");
    }

    private Task<(string[] Keys, string Text)> DumpAsync() => RedisDump.ReadAsync(Redis!.Configuration);
}
