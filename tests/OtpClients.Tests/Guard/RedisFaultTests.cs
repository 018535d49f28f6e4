using System.Security.Cryptography;
using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>
/// The real redis-server killed (SIGKILL) while the app runs, and started again: the guard does what
/// <see cref="OtpSendGuardOptions.OnStoreFailure"/> says, nothing throws, and sessions written before the kill still
/// verify once it is back.
/// </summary>
public sealed class RedisFaultTests() : GuardFixture(StoreKind.Redis)
{
    private const string Verified = "{\"verify_status\": \"VERIFIED\"}";

    [TearDown]
    public async Task EnsureRedisRunsAsync()
    {
        if (!Redis!.IsRunning)
        {
            await Redis.RestartAsync();
        }
    }

    [Test]
    public async Task SendAsync_RedisKilledMidRun_FailsClosedWithoutHttpThenRecovers()
    {
        var client = App(g => { NoRules(g); g.MaxSendsPerNumber = 1000; }).Client;
        using var stop = new CancellationTokenSource();
        var results = new System.Collections.Concurrent.ConcurrentBag<OtpSendResult>();
        var refusedSenders = new bool[4];
        var senders = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await client.SendAsync(new OtpSendRequest(Israeli));
                results.Add(result);
                if (result.Error?.ProviderCode == OtpGuardRules.StoreUnavailable)
                {
                    Volatile.Write(ref refusedSenders[i], true);
                }

                await Task.Delay(5);
            }
        })).ToArray();

        await WaitForAsync(() => results.Count(r => r.IsSuccess) >= 10, "sends before the kill");
        await Redis!.KillAsync();

        // Every sender has been refused once: none still has a send in flight that was counted before the kill.
        await WaitForAsync(() => Enumerable.Range(0, 4).All(i => Volatile.Read(ref refusedSenders[i])), "a refusal of every sender while Redis is down");
        var sendsWhileDown = Sends();
        await Task.Delay(300);
        var sendsAfterWaiting = Sends();
        await Redis.RestartAsync();
        var refusedBeforeRestart = results.Count(r => !r.IsSuccess);
        await WaitForAsync(() => results.Count(r => r.IsSuccess) > sendsAfterWaiting, "sends after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(senders); // no unhandled exception from any sender

        var refused = results.Where(r => !r.IsSuccess).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(sendsAfterWaiting, Is.EqualTo(sendsWhileDown), "nothing reaches the provider while the guard cannot count");
            Assert.That(refusedBeforeRestart, Is.GreaterThan(0));
            Assert.That(refused.Select(r => (r.Error!.Code, r.Error.ProviderCode, r.Error.IsTransient, r.Error.MayHaveBeenAccepted)), Is.All.EqualTo((OtpErrorCode.ProviderUnavailable, OtpGuardRules.StoreUnavailable, true, false)));
            Assert.That(Sends(), Is.EqualTo(results.Count(r => r.IsSuccess)), "every request that reached the provider was a success the app saw");
        });
    }

    [Test]
    public async Task SendAsync_RedisKilledFailOpen_SendsWithAWarning()
    {
        using var telemetry = new TelemetryCapture();
        var client = App(g => { NoRules(g); g.MaxSendsPerNumber = 1000; g.OnStoreFailure = OtpGuardFailureMode.FailOpen; }, logger: telemetry.LoggerProvider).Client;
        var before = await client.SendAsync(new OtpSendRequest(Israeli));

        await Redis!.KillAsync();
        var during = new List<OtpSendResult>();
        for (var i = 0; i < 5; i++)
        {
            during.Add(await client.SendAsync(new OtpSendRequest(Israeli)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(before.IsSuccess, Is.True, before.ToString());
            Assert.That(during.Select(r => r.IsSuccess), Is.All.True, string.Join("; ", during));
            Assert.That(Sends(), Is.EqualTo(6));
            Assert.That(telemetry.Logs.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("GuardStoreFailed", StringComparison.Ordinal)), Is.EqualTo(5));
            Assert.That(telemetry.AllText(), Does.Not.Contain("1234567"));
        });
    }

    [Test]
    public async Task CheckAsync_SessionWrittenBeforeTheKill_VerifiesAfterRedisReturns()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, Verified));
        var sessions = App(guard: null).Sessions;
        var started = await sessions.StartAsync(new OtpSendRequest(Israeli));
        Assert.That(started.IsSuccess, Is.True, started.ToString());

        await Redis!.KillAsync();
        var during = await sessions.CheckAsync(started.VerificationId!, "123456");
        var startDuring = await sessions.StartAsync(new OtpSendRequest(Italian));
        await Redis.RestartAsync();
        var probe = Base64Url(RandomNumberGenerator.GetBytes(16));
        await WaitForAsync(async () => (await sessions.CheckAsync(probe, "123456")).Status == OtpVerificationStatus.NotFound, "the store answering again");
        var after = await sessions.CheckAsync(started.VerificationId!, "123456");

        Assert.Multiple(() =>
        {
            Assert.That(during.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(during.Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable), during.ToString());
            Assert.That(startDuring.IsSuccess, Is.False, "a session that cannot be kept is not started");
            Assert.That(after.IsVerified, Is.True, after.ToString());
            Assert.That(after.PhoneNumber, Is.EqualTo("+972541234567"));
            Assert.That(Checks(), Is.EqualTo(1), "no check reached the provider while the session could not be read");
        });
    }

    [Test]
    public async Task StartAsync_RedisKilledWithGuardFailOpen_SendsNoCodeItCannotStoreThenRecovers()
    {
        // The review's finding: with OnStoreFailure = FailOpen and Redis down, 4 of 4 starts texted a code and then
        // failed to store its session, which no one could ever verify. Once the store is known down, a start asks it
        // first and sends nothing.
        var sessions = App(g => { NoRules(g); g.MaxSendsPerNumber = 1000; g.OnStoreFailure = OtpGuardFailureMode.FailOpen; }).Sessions;
        var before = await sessions.StartAsync(new OtpSendRequest(Israeli));

        await Redis!.KillAsync();
        var during = new List<OtpSessionStartResult>();
        for (var i = 0; i < 4; i++)
        {
            during.Add(await sessions.StartAsync(new OtpSendRequest(Israeli)));
        }

        var sentDuring = Sends() - 1;
        await Redis.RestartAsync();
        OtpSessionStartResult after = null!;
        await WaitForAsync(async () => (after = await sessions.StartAsync(new OtpSendRequest(Israeli))).IsSuccess, "a start once Redis is back");

        Assert.Multiple(() =>
        {
            Assert.That(before.IsSuccess, Is.True, before.ToString());
            Assert.That(during.Select(r => r.IsSuccess), Is.All.False);
            Assert.That(during.Select(r => r.Error!.ProviderCode), Is.All.EqualTo(OtpGuardRules.StoreUnavailable));
            Assert.That(sentDuring, Is.LessThanOrEqualTo(1), "at most the start that found the store down sent a code; on main, 4 of 4 did");
            Assert.That(during.Skip(1).Select(r => (r.Error!.MayHaveBeenAccepted, r.Error.IsTransient)), Is.All.EqualTo((false, true)), "the later starts sent nothing");
            Assert.That(during.Skip(1).Select(r => r.Error!.Message), Is.All.Contains("no code was sent"));
            Assert.That(after.IsSuccess, Is.True);
        });
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
