using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using OtpClients.Emulator;
using OtpClients.Tests.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Delivery;

/// <summary>
/// The review's scenario, replayed: AMM first and iP1 as failover, sessions in front, and users who verify when the
/// code arrives and ask again after a second when it does not. Three phases on the emulator's clock: AMM healthy, AMM
/// answering "sent" and delivering nothing, AMM delivering again. Real SDK, real HTTP, real emulator; a discrete-event
/// loop moves the fake clock from one user action to the next, so the run is exact and takes seconds.
/// </summary>
[TestFixture(StoreKind.Memory)]
[TestFixture(StoreKind.Redis)]
public sealed class DeliverySimulationTests(StoreKind store)
{
    private const int HealthyUsers = 200;
    private const int SilentUsers = 400;
    private const int RecoveryUsers = 600;
    private static readonly TimeSpan Arrival = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private RedisServer? redis;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (store == StoreKind.Redis)
        {
            redis = await RedisServer.StartAsync();
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    private sealed class User(int index, DateTimeOffset arrives, int phase)
    {
        public int Index { get; } = index;

        public DateTimeOffset Arrives { get; } = arrives;

        public int Phase { get; } = phase;

        public string Phone { get; } = "+39348" + (1_000_000 + index).ToString(CultureInfo.InvariantCulture);

        // Each user from a network of their own, as the users of a public app are (delivery health counts at most
        // MaxSendsPerNetwork sessions of one /24; on main this put 256 users in one /24).
        public string Ip { get; } = DeliveryHealthTests.NetworkOf(index);

        public string? VerificationId { get; set; }

        public string? FirstProvider { get; set; }

        public int Sms { get; set; }

        public DateTimeOffset? VerifiedAt { get; set; }

        public HashSet<string> Tried { get; } = [];
    }

    [Test]
    public async Task Simulation_PrimaryDropsSilently_UsersStillVerifyAndTrafficMovesAndComesBack()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions { TimeProvider = clock });
        await using var app = DeliveryApp.Create(emulator, redis: redis?.Configuration, keyPrefix: $"sim{Guid.NewGuid():N}:");
        var start = clock.GetUtcNow();
        var silentFrom = start + (HealthyUsers * Arrival);
        var recoveredFrom = silentFrom + (SilentUsers * Arrival);
        var users = Enumerable.Range(0, HealthyUsers + SilentUsers + RecoveryUsers)
            .Select(i => new User(i, start + (i * Arrival), i < HealthyUsers ? 0 : i < HealthyUsers + SilentUsers ? 1 : 2))
            .ToList();

        var queue = new PriorityQueue<Func<Task>, (DateTimeOffset At, long Sequence)>();
        long sequence = 0;
        void At(DateTimeOffset at, Func<Task> action) => queue.Enqueue(action, (at, sequence++));

        DateTimeOffset? demotedAt = null, restoredAt = null;
        var demotedWhileHealthy = false;
        At(silentFrom, () => { emulator.Delivery.Drop("AMM"); return Task.CompletedTask; });
        At(recoveredFrom, () => { emulator.Delivery.Deliver("AMM"); return Task.CompletedTask; });

        async Task CheckOrResendAsync(User user)
        {
            var now = clock.GetUtcNow();
            if (now - user.Arrives > Deadline)
            {
                return; // gave up
            }

            var message = emulator.Outbox.LastDeliveredFor(user.Phone);
            if (message is not null && user.Tried.Add(message.Code))
            {
                var result = await app.Sessions.CheckAsync(user.VerificationId!, message.Code, user.Ip);
                if (result.IsVerified)
                {
                    user.VerifiedAt = now;
                    return;
                }
            }

            var resent = await app.Sessions.ResendAsync(user.VerificationId!, user.Ip);
            if (resent.IsSuccess)
            {
                user.Sms++;
                At(now + Patience, () => CheckOrResendAsync(user));
            }
            else
            {
                At(now + (resent.Error.RetryAfter ?? Patience), () => CheckOrResendAsync(user));
            }
        }

        foreach (var user in users)
        {
            At(user.Arrives, async () =>
            {
                var started = await app.Sessions.StartAsync(new OtpSendRequest(user.Phone) { ClientIpAddress = user.Ip });
                Assert.That(started.IsSuccess, Is.True, started.ToString());
                user.VerificationId = started.VerificationId;
                user.FirstProvider = started.ProviderName;
                user.Sms = 1;
                var amm = await app.ReportAsync("AMM");
                var demoted = amm?.IsDemoted == true;
                if (demoted && user.Phase == 0)
                {
                    demotedWhileHealthy = true;
                }

                if (demoted && demotedAt is null && user.Phase == 1)
                {
                    demotedAt = clock.GetUtcNow();
                }

                if (!demoted && demotedAt is not null && restoredAt is null && user.Phase == 2)
                {
                    restoredAt = clock.GetUtcNow();
                }

                At(clock.GetUtcNow() + Patience, () => CheckOrResendAsync(user));
            });
        }

        while (queue.TryDequeue(out var action, out var when))
        {
            if (when.At > clock.GetUtcNow())
            {
                clock.SetUtcNow(when.At);
            }

            await action();
        }

        var verified = users.Count(u => u.VerifiedAt is { } at && at - u.Arrives <= Deadline);
        var afterDetection = users.Where(u => u.Phase == 1 && demotedAt is { } d && u.Arrives > d).ToList();
        var silentShare = afterDetection.Count == 0 ? 1 : (double)afterDetection.Count(u => u.FirstProvider == "AMM") / afterDetection.Count;
        var lateRecovery = users.Where(u => u.Phase == 2).Skip(RecoveryUsers / 2).ToList();
        var ammBack = (double)lateRecovery.Count(u => u.FirstProvider == "AMM") / lateRecovery.Count;
        var summary = string.Create(CultureInfo.InvariantCulture, $"""
            store {store}: {verified} of {users.Count} users verified within {Deadline.TotalSeconds} s ({(double)verified / users.Count:P1});
            SMS per user: healthy {users.Where(u => u.Phase == 0).Average(u => u.Sms):0.00}, silent {users.Where(u => u.Phase == 1).Average(u => u.Sms):0.00}, recovery {users.Where(u => u.Phase == 2).Average(u => u.Sms):0.00};
            AMM demoted {(demotedAt - silentFrom)?.TotalSeconds:0.0} s after it went silent; after that {silentShare:P1} of new users' first SMS went to AMM ({afterDetection.Count} users);
            restored {(restoredAt - recoveredFrom)?.TotalSeconds:0.0} s after it recovered; AMM sent {ammBack:P1} of the first SMS in the second half of the recovery
            """);
        await TestContext.Out.WriteLineAsync(summary);

        Assert.Multiple(() =>
        {
            Assert.That((double)verified / users.Count, Is.GreaterThanOrEqualTo(0.99), summary);
            Assert.That(demotedWhileHealthy, Is.False, "no demotion while AMM delivered: " + summary);
            Assert.That(demotedAt, Is.Not.Null, "AMM is demoted once it goes silent: " + summary);
            Assert.That(silentShare, Is.LessThanOrEqualTo(0.10), summary);
            Assert.That(restoredAt, Is.Not.Null, "AMM is restored once it delivers again: " + summary);
            Assert.That(ammBack, Is.GreaterThanOrEqualTo(0.8), summary);
        });
    }
    /// <summary>
    /// The attack review's scenario, scaled to the simulation's clock (a 60 s window for 6 h): AMM delivers, real users
    /// arrive one a second from networks of their own and 85 % verify; an unauthenticated caller starts 60 sessions for
    /// numbers it does not own from 6 addresses in 6 networks, asks a resend for half of them, and verifies none. With
    /// the bound on what one network adds (2 sessions), AMM is never demoted; with the bound lifted, the same attack
    /// demotes it (the figure on main).
    /// </summary>
    [TestCase(2, false, TestName = "Simulation_StrangersStartUnverifiedSessionsFromSixNetworks_AmmIsNeverDemoted")]
    [TestCase(1000, true, TestName = "Simulation_SameAttackWithoutTheNetworkBound_DemotesAmm")]
    public async Task Simulation_UnverifiedSessionsFromFewNetworks(int maxSendsPerNetwork, bool expectDemotion)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions { TimeProvider = clock });
        await using var app = DeliveryApp.Create(
            emulator,
            health: o => o.MaxSendsPerNetwork = maxSendsPerNetwork,
            redis: redis?.Configuration,
            keyPrefix: $"atk{Guid.NewGuid():N}:",
            guard: g => g.MaxSendsPerIp = 0); // the guard's budgets are not what is tested here
        var start = clock.GetUtcNow();
        var queue = new PriorityQueue<Func<Task>, (DateTimeOffset At, long Sequence)>();
        long sequence = 0;
        void At(DateTimeOffset at, Func<Task> action) => queue.Enqueue(action, (at, sequence++));
        var demotions = 0;
        var realUsers = 0;
        var realVerified = 0;
        var attackSms = 0;

        async Task ObserveAsync()
        {
            if ((await app.ReportAsync("AMM"))?.IsDemoted == true)
            {
                demotions++;
            }
        }

        // Real users: one a second for 4 windows; 17 in 20 verify after a second, the others never come back.
        for (var i = 0; i < 240; i++)
        {
            var index = i;
            At(start + TimeSpan.FromSeconds(i), async () =>
            {
                var phone = "+39347" + (1_000_000 + index).ToString(CultureInfo.InvariantCulture);
                var ip = DeliveryHealthTests.NetworkOf(index);
                var started = await app.Sessions.StartAsync(new OtpSendRequest(phone) { ClientIpAddress = ip });
                Assert.That(started.IsSuccess, Is.True, started.ToString());
                realUsers++;
                await ObserveAsync();
                if (index % 20 < 17)
                {
                    At(clock.GetUtcNow() + Patience, async () =>
                    {
                        var result = await app.Sessions.CheckAsync(started.VerificationId!, emulator.Outbox.LastDeliveredFor(phone)!.Code, ip);
                        realVerified += result.IsVerified ? 1 : 0;
                    });
                }
            });
        }

        // The attack, from the middle of the second window: 60 starts from 6 addresses in 6 networks over 15 s, a resend
        // for every other one after a second from the same address, nothing verified.
        for (var i = 0; i < 60; i++)
        {
            var index = i;
            At(start + TimeSpan.FromSeconds(90) + TimeSpan.FromMilliseconds(250 * i), async () =>
            {
                var ip = $"198.51.{100 + (index % 6)}.7";
                var phone = "+39346" + (1_000_000 + index).ToString(CultureInfo.InvariantCulture);
                var started = await app.Sessions.StartAsync(new OtpSendRequest(phone) { ClientIpAddress = ip });
                Assert.That(started.IsSuccess, Is.True, started.ToString());
                attackSms++;
                await ObserveAsync();
                if (index % 2 == 0)
                {
                    At(clock.GetUtcNow() + Patience, async () =>
                    {
                        var resent = await app.Sessions.ResendAsync(started.VerificationId!, ip);
                        attackSms += resent.IsSuccess ? 1 : 0;
                        await ObserveAsync();
                    });
                }
            });
        }

        while (queue.TryDequeue(out var action, out var when))
        {
            if (when.At > clock.GetUtcNow())
            {
                clock.SetUtcNow(when.At);
            }

            await action();
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"store {store}, MaxSendsPerNetwork {maxSendsPerNetwork}: {realVerified} of {realUsers} real users verified; the attack sent {attackSms} SMS; AMM seen demoted at {demotions} observations");
        await TestContext.Out.WriteLineAsync(summary);
        Assert.Multiple(() =>
        {
            Assert.That(attackSms, Is.GreaterThanOrEqualTo(90), "the attack got its SMS: the guard is not what stops it here");
            Assert.That(demotions > 0, Is.EqualTo(expectDemotion), summary);
        });
    }
}
