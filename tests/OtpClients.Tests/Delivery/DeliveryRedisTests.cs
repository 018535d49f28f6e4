using Microsoft.Extensions.Time.Testing;
using OtpClients.Emulator;
using OtpClients.Tests.Infrastructure;
using StackExchange.Redis;

namespace OtpClients.Tests.Delivery;

/// <summary>
/// Delivery health and sessions on a real redis-server: the figures are shared by app instances, Redis holds no
/// provider, region, number or code in clear, and a session value altered in Redis reads as no session.
/// </summary>
public sealed class DeliveryRedisTests
{
    private const string Ip = "198.51.100.20";

    private RedisServer redis = null!;
    private OtpEmulator emulator = null!;
    private FakeTimeProvider clock = null!;
    private string prefix = null!;
    private int next;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        redis = await RedisServer.StartAsync();
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions { TimeProvider = clock });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await emulator.DisposeAsync();
        await redis.DisposeAsync();
    }

    [SetUp]
    public async Task ResetAsync()
    {
        emulator.Reset();
        prefix = $"{{d{Guid.NewGuid():N}}}:";
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        await connection.GetServer(connection.GetEndPoints()[0]).FlushAllDatabasesAsync();
    }

    private DeliveryApp App() => DeliveryApp.Create(emulator, health: o => { o.MinSends = 5; o.ProbeShare = 0; }, redis: redis.Configuration, keyPrefix: prefix, guard: g => g.MaxSendsPerIp = 0);

    private async Task UserAsync(DeliveryApp app)
    {
        var n = Interlocked.Increment(ref next);
        var phone = "+39348" + (3_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ip = DeliveryHealthTests.NetworkOf(n); // each user from a network of their own
        var started = await app.Sessions.StartAsync(new OtpSendRequest(phone) { ClientIpAddress = ip });
        clock.Advance(TimeSpan.FromSeconds(1));
        if (emulator.Outbox.LastDeliveredFor(phone) is null)
        {
            await app.Sessions.ResendAsync(started.VerificationId!, ip);
        }

        var verified = await app.Sessions.CheckAsync(started.VerificationId!, emulator.Outbox.LastDeliveredFor(phone)!.Code, ip);
        Assert.That(verified.IsVerified, Is.True, verified.ToString());
    }

    [Test]
    public async Task Figures_LearntOnOneInstance_ReorderTheOthersRoutes()
    {
        await using var learner = App();
        await using var other = App();
        emulator.Delivery.Drop("AMM");
        for (var i = 0; i < 6; i++)
        {
            await UserAsync(learner);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var report = await other.ReportAsync("AMM");
        var started = await other.Sessions.StartAsync(new OtpSendRequest("+393489999999") { ClientIpAddress = Ip });

        Assert.Multiple(() =>
        {
            Assert.That(report!.IsDemoted, Is.True, report.ToString());
            Assert.That(report.Sends, Is.GreaterThanOrEqualTo(5));
            Assert.That(started.ProviderName, Is.EqualTo("iP1"), "the other instance never saw AMM fail, and still starts on iP1");
        });
    }

    [Test]
    public async Task Redis_AfterDeliveryHealthAndResends_HoldsNoProviderRegionNumberOrCode()
    {
        await using var app = App();
        emulator.Delivery.Drop("AMM");
        for (var i = 0; i < 3; i++)
        {
            await UserAsync(app);
        }

        var (keys, text) = await RedisDump.ReadAsync(redis.Configuration);
        Assert.Multiple(() =>
        {
            Assert.That(keys.Count(k => k.StartsWith(prefix + "h:", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(3), "two series and an index");
            Assert.That(keys, Is.All.StartsWith(prefix));
            foreach (var clear in new[] { "AMM", "iP1", "\nIT", "IT\n", "348300", emulator.Outbox.Messages[0].Code, emulator.Outbox.Messages[0].Id })
            {
                Assert.That(text, Does.Not.Contain(clear), $"Redis shows '{clear}'");
            }
        });
    }

    [Test]
    public async Task Figures_FarFutureBucketWrittenIntoRedis_DemoteNothing()
    {
        // The review's finding: whoever can write to Redis added a bucket far ahead (HINCRBY …h:… 9999999999r N). The read
        // kept it, it never matured, led every recent sample, and kept the provider demoted for as long as it stayed.
        await using var app = App();
        for (var i = 0; i < 6; i++)
        {
            await UserAsync(app);
        }

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var database = connection.GetDatabase();
        var series = 0;
        await foreach (var key in connection.GetServer(connection.GetEndPoints()[0]).KeysAsync(pattern: prefix + "h:*"))
        {
            if (!((string)key!).StartsWith(prefix + "h:i:", StringComparison.Ordinal) && !((string)key!).StartsWith(prefix + "h:n:", StringComparison.Ordinal))
            {
                series++;
                await database.HashIncrementAsync(key, "9999999999s", 1000);
                await database.HashIncrementAsync(key, "9999999999r", 1000);
            }
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var report = await app.ReportAsync("AMM");
        var started = await app.Sessions.StartAsync(new OtpSendRequest("+393489999998") { ClientIpAddress = Ip });

        Assert.Multiple(() =>
        {
            Assert.That(series, Is.EqualTo(1), "AMM's series for IT");
            Assert.That(report!.IsDemoted, Is.False, report.ToString());
            Assert.That(report.Sends, Is.EqualTo(6), "only the window's buckets count");
            Assert.That(started.ProviderName, Is.EqualTo("AMM"));
        });
    }

    [TestCase("flip")]
    [TestCase("other session")]
    [TestCase("truncate")]
    [TestCase("not a number")] // on main the attempt count was a field of its own: a non-integer made every check store_unavailable
    [TestCase("zero attempts")] // and setting it back to 0 gave more checks; the count is now inside the sealed value
    public async Task Session_ValueAlteredInRedis_IsNotFoundWithoutHttp(string how)
    {
        await using var app = App();
        var victim = await app.Sessions.StartAsync(new OtpSendRequest("+393481111111") { ClientIpAddress = Ip });
        var donor = await app.Sessions.StartAsync(new OtpSendRequest("+393482222222") { ClientIpAddress = Ip });
        await app.Sessions.CheckAsync(victim.VerificationId!, "000000", Ip); // one attempt counted
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var database = connection.GetDatabase();
        var sessionKeys = new List<RedisKey>();
        await foreach (var key in connection.GetServer(connection.GetEndPoints()[0]).KeysAsync(pattern: prefix + "s:*"))
        {
            sessionKeys.Add(key);
        }

        // Which key is whose does not matter to the attack: alter every session value.
        var values = new List<byte[]>();
        foreach (var key in sessionKeys)
        {
            values.Add((byte[])(await database.StringGetAsync(key))!);
        }

        for (var i = 0; i < sessionKeys.Count; i++)
        {
            var value = values[i];
            byte[] altered = how switch
            {
                "flip" => [.. value[..^20], (byte)(value[^20] ^ 1), .. value[^19..]],
                "other session" => values[(i + 1) % values.Count],
                "not a number" => "abc"u8.ToArray(),
                "zero attempts" => "0"u8.ToArray(),
                _ => value[..^1],
            };
            await database.StringSetAsync(sessionKeys[i], altered, TimeSpan.FromMinutes(5));
        }

        var messages = emulator.Outbox.Messages.Count;
        var check = await app.Sessions.CheckAsync(victim.VerificationId!, emulator.Outbox.LastCodeFor("+393481111111")!, Ip);
        var resend = await app.Sessions.ResendAsync(donor.VerificationId!, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(sessionKeys, Has.Count.EqualTo(2));
            Assert.That(check.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(resend.Error?.Code, Is.EqualTo(OtpErrorCode.NotFound));
            Assert.That(emulator.Outbox.Messages, Has.Count.EqualTo(messages), "nothing sent");
        });
    }
}
