using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>
/// The Redis stores on a real three-node Redis Cluster. A guard check is one script over several keys, which Cluster
/// runs only within one slot: the default key prefix's hash tag puts every key in one slot, and a prefix without one is
/// refused with the fix, before any HTTP call, instead of failing each check with CROSSSLOT.
/// </summary>
public sealed class RedisClusterTests : WireMockFixture
{
    private const string Number = "+972 54 123 4567";
    private readonly List<GuardApp> apps = [];
    private RedisCluster cluster = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync() => cluster = await RedisCluster.StartAsync();

    [OneTimeTearDown]
    public async Task StopClusterAsync() => await cluster.DisposeAsync();

    [SetUp]
    public void AnswerSends() => Server.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"amm-1\"}"));

    [TearDown]
    public async Task DisposeAppsAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        apps.Clear();
    }

    [Test]
    public async Task SendAsync_ClusterWithTheDefaultPrefix_NumberBudgetHoldsAcrossInstancesInOneSlot()
    {
        var instances = Enumerable.Range(0, 3).Select(_ => App(keyPrefix: null, NumberBudgetOf3)).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => instances[i % 3].Client.SendAsync(new OtpSendRequest(Number)))));

        var keysPerNode = await cluster.KeysPerNodeAsync("{otp}:*");
        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.IsSuccess), Is.EqualTo(3), string.Join("; ", results.Where(r => !r.IsSuccess && r.Error!.Code != OtpErrorCode.RateLimited).Take(3)));
            Assert.That(results.Where(r => !r.IsSuccess).Select(r => (r.Error!.Code, r.Error.ProviderCode)), Is.All.EqualTo((OtpErrorCode.RateLimited, OtpGuardRules.Number)));
            Assert.That(Server.Requests().Count(r => r.Path == "/sms/v2/verify/send"), Is.EqualTo(3), "exactly the budget reaches the provider");
            Assert.That(keysPerNode.Count(n => n > 0), Is.EqualTo(1), $"every key (counters of three rules) in the one slot of the hash tag {{otp}} (keys per node: {string.Join(", ", keysPerNode)})");
        });
    }

    [Test]
    public async Task CheckAsync_ClusterSessionStartedOnOneInstance_VerifiesOnceOnAnother()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var first = App(keyPrefix: "{cluster-sessions}:", guard: null);
        var second = App(keyPrefix: "{cluster-sessions}:", guard: null);

        var started = await first.Sessions.StartAsync(new OtpSendRequest("+39 348 123 4567"));
        var verified = await second.Sessions.CheckAsync(started.VerificationId!, "123456");
        var again = await first.Sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(started.IsSuccess, Is.True, started.ToString());
            Assert.That(verified.IsVerified, Is.True, verified.ToString());
            Assert.That(verified.PhoneNumber, Is.EqualTo("+393481234567"));
            Assert.That(again.IsVerified, Is.False, "a session verifies once");
        });
    }

    [Test]
    public async Task SendAsync_ClusterWithAPrefixWithoutHashTag_RefusedBeforeAnyHttpWithTheFixLogged()
    {
        using var telemetry = new TelemetryCapture();
        var app = App(keyPrefix: "otp-untagged:", NumberBudgetOf3, telemetry.LoggerProvider);

        var first = await app.Client.SendAsync(new OtpSendRequest(Number));
        var second = await app.Client.SendAsync(new OtpSendRequest(Number));

        var logs = telemetry.Logs;
        Assert.Multiple(() =>
        {
            Assert.That(new[] { first, second }.Select(r => r.Error?.Code), Is.All.EqualTo(OtpErrorCode.ProviderUnavailable), "the guard fails closed");
            Assert.That(Server.RequestCount(), Is.Zero, "nothing reaches the provider");
            Assert.That(
                logs.Count(l => l.Contains("KeyPrefix 'otp-untagged:' has no hash tag", StringComparison.Ordinal) && l.Contains("{otp}:", StringComparison.Ordinal)),
                Is.EqualTo(1),
                "the fix is logged once: " + string.Join(" | ", logs));
        });
    }

    [TestCase("{otp}:", "otp")]
    [TestCase("app1:{otp}:", "otp")]
    [TestCase("{a}{b}:", "a")]
    [TestCase("otp:", null)]
    [TestCase("{}otp:", null)]
    [TestCase("{}{otp}:", null)]
    [TestCase("otp{:", null)]
    public void HashTagOf_Prefix_IsWhatRedisClusterHashes(string prefix, string? tag)
    {
        Assert.That(OtpClients.Redis.RedisKeys.HashTagOf(prefix), Is.EqualTo(tag));
    }

    /// <summary>A number budget of 3, with a region budget and a spend cap too: each check is one script over three keys.</summary>
    private static void NumberBudgetOf3(OtpSendGuardOptions g)
    {
        GuardApp.NoRules(g);
        g.MaxSendsPerNumber = 3;
        g.MaxSendsPerRegion = 1000;
        g.MaxSendsPerHour = 1000;
    }

    private GuardApp App(string? keyPrefix, Action<OtpSendGuardOptions>? guard, Microsoft.Extensions.Logging.ILoggerProvider? logger = null)
    {
        var app = GuardApp.Create(Server.BaseAddress(), Clock, StoreKind.Redis, cluster.Configuration, keyPrefix, guard, sessions: _ => { }, logger: logger);
        apps.Add(app);
        return app;
    }
}
