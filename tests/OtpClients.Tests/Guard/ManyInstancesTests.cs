using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>
/// Four app instances (four service providers, each with its own Redis connection and HTTP client) share one real
/// redis-server and one key prefix, and race: the budgets hold across them exactly, and a session verifies once.
/// </summary>
public sealed class ManyInstancesTests() : GuardFixture(StoreKind.Redis)
{
    private const int Instances = 4;
    private const int Racers = 200;
    private const int Budget = 3;

    [Test]
    public async Task SendAsync_200ConcurrentSendsToOneNumberOn4Instances_ExactlyTheNumberBudgetReachesTheProvider()
    {
        var apps = Apps(g => { NoRules(g); g.MaxSendsPerNumber = Budget; });

        var results = await RaceAsync(i => apps[i % Instances].Client.SendAsync(new OtpSendRequest(Israeli)));

        AssertExactlyTheBudgetPassed(results, OtpGuardRules.Number);
    }

    [Test]
    public async Task SendAsync_200ConcurrentSendsFromOneIpOn4Instances_ExactlyTheIpBudgetReachesTheProvider()
    {
        var apps = Apps(g => { NoRules(g); g.MaxSendsPerIp = Budget; });

        var results = await RaceAsync(i => apps[i % Instances].Client.SendAsync(new OtpSendRequest(Number(i)) { ClientIpAddress = "203.0.113.7" }));

        AssertExactlyTheBudgetPassed(results, OtpGuardRules.Ip);
    }

    [Test]
    public async Task SendAsync_200ConcurrentSendsToManyNumbersOn4Instances_ExactlyTheGlobalCapReachesTheProvider()
    {
        var apps = Apps(g => { NoRules(g); g.MaxSendsPerHour = Budget; });

        var results = await RaceAsync(i => apps[i % Instances].Client.SendAsync(new OtpSendRequest(Number(i)) { ClientIpAddress = $"198.51.100.{i % 250}" }));

        AssertExactlyTheBudgetPassed(results, OtpGuardRules.Global);
    }

    [Test]
    public async Task CheckAsync_200ConcurrentChecksOfOneSessionOn4Instances_VerifiesOnceWithinTheAttemptCap()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var apps = Apps(guard: null, sessions: o => o.MaxAttempts = Budget);
        var started = await apps[0].Sessions.StartAsync(new OtpSendRequest(Israeli));
        Assert.That(started.IsSuccess, Is.True, started.ToString());

        var results = await RaceAsync(i => apps[i % Instances].Sessions.CheckAsync(started.VerificationId!, "123456"));

        var statuses = results.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.Multiple(() =>
        {
            Assert.That(results.Count(r => r.IsVerified), Is.EqualTo(1), string.Join(", ", statuses));
            Assert.That(results.Single(r => r.IsVerified).PhoneNumber, Is.EqualTo("+972541234567"));
            Assert.That(Checks(), Is.InRange(1, Budget), "no more checks reach the provider than the session allows");
            Assert.That(
                statuses.Keys,
                Is.SubsetOf(new[] { OtpVerificationStatus.Verified, OtpVerificationStatus.AlreadyUsed, OtpVerificationStatus.NotFound, OtpVerificationStatus.TooManyAttempts }),
                "every other check is told the session is used, gone or out of attempts");
        });
    }

    [Test]
    public async Task VerifyAsync_200ConcurrentVerifiesOfOneChallengeOn4Instances_NeverExceedTheGuardsAttemptCap()
    {
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"FAILED\"}"));
        Server.Answer(Endpoints.AmmSearch, Reply.Json(200, "{\"verify_id\": \"amm-1\", \"verify_status\": \"PENDING\"}"));
        var apps = Apps(g => { NoRules(g); g.MaxVerifyAttempts = Budget; });
        var sent = await apps[0].Client.SendAsync(new OtpSendRequest(Israeli));

        var results = await RaceAsync(i => apps[i % Instances].Client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "00000" + (i % 10))));

        Assert.Multiple(() =>
        {
            Assert.That(Checks(), Is.EqualTo(Budget));
            Assert.That(results.Count(r => r.Error?.ProviderCode == OtpGuardRules.VerifyAttempts), Is.EqualTo(Racers - Budget));
        });
    }

    private static string Number(int i) => $"+39 348 12{i:D5}";

    private static async Task<T[]> RaceAsync<T>(Func<int, Task<T>> call)
    {
        using var go = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
        {
            go.Wait();
            return await call(i);
        })).ToArray();
        go.Set();
        return await Task.WhenAll(racers);
    }

    private GuardApp[] Apps(Action<OtpSendGuardOptions>? guard, Action<OtpSessionOptions>? sessions = null) =>
        [.. Enumerable.Range(0, Instances).Select(_ => App(guard, sessions))];

    private void AssertExactlyTheBudgetPassed(OtpSendResult[] results, string rule)
    {
        var refused = results.Where(r => !r.IsSuccess).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Sends(), Is.EqualTo(Budget), "requests that reached the provider stand-in");
            Assert.That(results.Count(r => r.IsSuccess), Is.EqualTo(Budget));
            Assert.That(refused.Select(r => (r.Error!.Code, r.Error.ProviderCode)), Is.All.EqualTo((OtpErrorCode.RateLimited, rule)), string.Join("; ", refused.Select(r => r.Error).Distinct()));
            Assert.That(refused.Select(r => r.Error!.RetryAfter), Is.All.GreaterThan(TimeSpan.Zero));
        });
    }
}
