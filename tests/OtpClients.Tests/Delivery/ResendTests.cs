using Microsoft.Extensions.DependencyInjection;
using OtpClients.Emulator;
using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Delivery;

/// <summary>
/// <see cref="IOtpVerificationSessions.ResendAsync(string, string?, System.Threading.CancellationToken)"/> on the emulator: through the next provider of the route, as a send
/// for the guard, within the session's cap; and checks that accept any live code of the session.
/// </summary>
public sealed class ResendTests : EmulatorFixture
{
    private const string Phone = "+393481234567";
    private const string Ip = "203.0.113.7";

    private readonly List<DeliveryApp> apps = [];
    private CountingHandler ammCalls = null!;
    private CountingHandler ip1Calls = null!;

    [TearDown]
    public async Task DisposeAppsAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        apps.Clear();
    }

    private DeliveryApp App(Action<OtpSendGuardOptions>? guard = null, Action<OtpClientBuilder>? more = null, params string[] route)
    {
        ammCalls = new CountingHandler();
        ip1Calls = new CountingHandler();
        var amm = ammCalls;
        var ip1 = ip1Calls;
        var app = DeliveryApp.Create(Emulator, guard: guard, more: otp =>
        {
            otp.GetHttpClientBuilder("AMM").AddHttpMessageHandler(() => amm);
            otp.GetHttpClientBuilder("iP1").AddHttpMessageHandler(() => ip1);
            more?.Invoke(otp);
        }, route: route);
        apps.Add(app);
        return app;
    }

    private int Calls => ammCalls.Count + ip1Calls.Count;

    private async Task<string> StartAsync(DeliveryApp app, OtpSendRequest? request = null)
    {
        var started = await app.Sessions.StartAsync(request ?? new OtpSendRequest(Phone) { ClientIpAddress = Ip });
        Assert.That(started.IsSuccess, Is.True, started.ToString());
        return started.VerificationId!;
    }

    [Test]
    public async Task ResendAsync_AfterAStart_SendsThroughTheNextProviderUnderTheSameId()
    {
        var app = App();
        var id = await StartAsync(app);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var resent = await app.Sessions.ResendAsync(id, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(resent.IsSuccess, Is.True, resent.ToString());
            Assert.That(resent.VerificationId, Is.EqualTo(id));
            Assert.That(resent.ProviderName, Is.EqualTo("iP1"));
            Assert.That(Emulator.Outbox.Messages.Select(m => m.Provider), Is.EqualTo(new[] { "AMM", "iP1" }));
            Assert.That(Emulator.Outbox.Messages.Select(m => m.PhoneNumber), Is.All.EqualTo(Phone));
        });
    }

    [Test]
    public async Task ResendAsync_OnceEveryProviderSent_GoesToTheOneThatSentLongestAgo()
    {
        var app = App();
        var id = await StartAsync(app);
        var providers = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            providers.Add((await app.Sessions.ResendAsync(id, Ip)).ProviderName);
        }

        Assert.That(providers, Is.EqualTo(new[] { "iP1", "AMM", "iP1" }));
    }

    [Test]
    public async Task ResendAsync_RouteWithOneProvider_SendsThroughItAgainAndKeepsOneCodeOfIt()
    {
        var app = App(route: "AMM");
        var id = await StartAsync(app);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var resent = await app.Sessions.ResendAsync(id, Ip);
        var newest = Emulator.Outbox.LastCodeFor(Phone)!;
        var verified = await app.Sessions.CheckAsync(id, newest, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(resent.ProviderName, Is.EqualTo("AMM"));
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(2));
            Assert.That(verified.IsVerified, Is.True, verified.ToString());
            Assert.That(ammCalls.Count, Is.EqualTo(3), "two sends and one check: the replaced code is not asked");
        });
    }

    [Test]
    public async Task ResendAsync_RepeatsTheSendSettings()
    {
        var app = App();
        var id = await StartAsync(app, new OtpSendRequest(Phone) { ClientIpAddress = Ip, MessageTemplate = "Your Contoso code: {code}" });
        Clock.Advance(TimeSpan.FromSeconds(1));

        await app.Sessions.ResendAsync(id, Ip);

        Assert.That(Emulator.Outbox.Messages.Select(m => m.Text.StartsWith("Your Contoso code: ", StringComparison.Ordinal)), Is.All.True);
    }

    [Test]
    public async Task ResendAsync_WithinTheCooldown_IsRefusedByTheGuardWithoutHttp()
    {
        var app = App(g => g.Cooldown = TimeSpan.FromSeconds(30));
        var id = await StartAsync(app);
        var before = Calls;
        Clock.Advance(TimeSpan.FromSeconds(10));

        var resent = await app.Sessions.ResendAsync(id, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(resent.IsSuccess, Is.False);
            Assert.That(resent.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(resent.Error.ProviderCode, Is.EqualTo(OtpGuardRules.Cooldown));
            Assert.That(resent.Error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)), "when a resend can go");
            Assert.That(Calls, Is.EqualTo(before));
        });
    }

    [Test]
    public async Task ResendAsync_CountsForThePerNumberBudget()
    {
        var app = App(g => g.MaxSendsPerNumber = 2);
        var id = await StartAsync(app);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var first = await app.Sessions.ResendAsync(id, Ip);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await app.Sessions.ResendAsync(id, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(first.IsSuccess, Is.True, first.ToString());
            Assert.That(second.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.Number));
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task ResendAsync_CountsForThePerIpBudget()
    {
        var app = App(g => g.MaxSendsPerIp = 1);
        var id = await StartAsync(app);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var resent = await app.Sessions.ResendAsync(id, Ip);

        Assert.That(resent.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.Ip));
    }

    [TestCase(null)]
    [TestCase("")]
    public void ResendAsync_NullOrEmptyId_ThrowsArgumentException(string? id)
    {
        var app = App();
        Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => app.Sessions.ResendAsync(id!));
    }

    [TestCase("AAAAAAAAAAAAAAAAAAAAAA", "never issued")]
    [TestCase("short", "malformed")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAB", "non-canonical")]
    public async Task ResendAsync_UnknownId_IsNotFoundWithoutHttp(string id, string why)
    {
        var app = App();
        var resent = await app.Sessions.ResendAsync(id, Ip);
        Assert.Multiple(() =>
        {
            Assert.That(resent.Error?.Code, Is.EqualTo(OtpErrorCode.NotFound), why);
            Assert.That(Calls, Is.Zero);
        });
    }

    [Test]
    public async Task ResendAsync_AlteredExpiredOrCompletedId_IsNotFoundWithoutHttp()
    {
        var app = App();
        var altered = await StartAsync(app);
        var completed = await StartAsync(app, new OtpSendRequest("+393481234568") { ClientIpAddress = Ip });
        var verified = await app.Sessions.CheckAsync(completed, Emulator.Outbox.LastCodeFor("+393481234568")!, Ip);
        var expired = await StartAsync(app, new OtpSendRequest("+393481234569") { ClientIpAddress = Ip, TimeToLive = TimeSpan.FromSeconds(30) });
        Clock.Advance(TimeSpan.FromSeconds(31));
        var before = Calls;

        var results = new[]
        {
            await app.Sessions.ResendAsync(altered[..^2] + (altered[^2] == 'A' ? "B" : "A") + altered[^1], Ip),
            await app.Sessions.ResendAsync(completed, Ip),
            await app.Sessions.ResendAsync(expired, Ip),
        };

        Assert.Multiple(() =>
        {
            Assert.That(verified.IsVerified, Is.True);
            Assert.That(results.Select(r => r.Error?.Code), Is.All.EqualTo(OtpErrorCode.NotFound));
            Assert.That(Calls, Is.EqualTo(before));
        });
    }

    [Test]
    public async Task ResendAsync_SessionThatUsedItsAttempts_IsRefusedWithoutHttp()
    {
        var app = App(more: otp => otp.UseSessions(o => o.MaxAttempts = 2));
        var id = await StartAsync(app);
        await app.Sessions.CheckAsync(id, "000000", Ip);
        await app.Sessions.CheckAsync(id, "000001", Ip);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var before = Calls;

        var resent = await app.Sessions.ResendAsync(id, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(resent.Error?.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(resent.Error?.ProviderCode, Is.EqualTo("session_attempts"));
            Assert.That(Calls, Is.EqualTo(before));
        });
    }

    [Test]
    public async Task ResendAsync_DoesNotGiveNewAttempts()
    {
        var app = App(more: otp => otp.UseSessions(o => o.MaxAttempts = 2));
        var id = await StartAsync(app);
        await app.Sessions.CheckAsync(id, "000000", Ip);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await app.Sessions.ResendAsync(id, Ip);
        await app.Sessions.CheckAsync(id, "000001", Ip);

        var third = await app.Sessions.CheckAsync(id, Emulator.Outbox.LastCodeFor(Phone)!, Ip);

        Assert.That(third.Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts));
    }

    [Test]
    public async Task CheckAsync_AfterAResend_TheLateFirstCodeStillVerifiesAsOneAttempt()
    {
        var app = App(more: otp => otp.UseSessions(o => o.MaxAttempts = 1));
        var id = await StartAsync(app);
        var first = Emulator.Outbox.LastCodeFor(Phone)!;
        Clock.Advance(TimeSpan.FromSeconds(1));
        await app.Sessions.ResendAsync(id, Ip);

        var result = await app.Sessions.CheckAsync(id, first, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True, "the newest (iP1) said no, the older (AMM) said yes, in one attempt: " + result);
            Assert.That(result.PhoneNumber, Is.EqualTo(Phone));
        });
    }

    [Test]
    public async Task CheckAsync_AfterAResend_TheNewCodeVerifiesAskingOnlyItsProvider()
    {
        var app = App();
        var id = await StartAsync(app);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await app.Sessions.ResendAsync(id, Ip);
        var ammBefore = ammCalls.Count;

        var result = await app.Sessions.CheckAsync(id, Emulator.Outbox.LastCodeFor(Phone)!, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True, result.ToString());
            Assert.That(ammCalls.Count, Is.EqualTo(ammBefore), "newest first: AMM is not asked");
        });
    }

    [Test]
    public async Task CheckAsync_WrongCodeAfterAResend_AsksEachLiveProviderOnceAndCountsOneAttempt()
    {
        var app = App(more: otp => otp.UseSessions(o => o.MaxAttempts = 2));
        var id = await StartAsync(app);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await app.Sessions.ResendAsync(id, Ip);
        var (ammBefore, ip1Before) = (ammCalls.Count, ip1Calls.Count);

        var wrong = await app.Sessions.CheckAsync(id, "000000", Ip);
        var right = await app.Sessions.CheckAsync(id, Emulator.Outbox.LastCodeFor(Phone)!, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(wrong.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(ammCalls.Count - ammBefore, Is.EqualTo(1), "AMM asked once, by the wrong code");
            Assert.That(ip1Calls.Count - ip1Before, Is.EqualTo(3), "iP1: validate and its look-up of the wrong code, then validate of the right one");
            Assert.That(right.IsVerified, Is.True, "a wrong code across two providers was one attempt of two: " + right);
        });
    }

    [Test]
    public async Task CheckAsync_ACodeThatExpired_IsNotAskedAnyMore()
    {
        var app = App();
        var id = await StartAsync(app, new OtpSendRequest(Phone) { ClientIpAddress = Ip, TimeToLive = TimeSpan.FromSeconds(60) });
        Clock.Advance(TimeSpan.FromSeconds(30));
        await app.Sessions.ResendAsync(id, Ip);
        Clock.Advance(TimeSpan.FromSeconds(31)); // AMM's code is gone at 60 s, iP1's lives until 90 s
        var ammBefore = ammCalls.Count;

        var wrong = await app.Sessions.CheckAsync(id, "000000", Ip);

        Assert.Multiple(() =>
        {
            Assert.That(wrong.Status, Is.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(ammCalls.Count, Is.EqualTo(ammBefore), "a provider is asked only while its code lives");
        });
    }

    [Test]
    public async Task ResendAsync_NextProviderDown_FailsOverToTheOneThatSentBefore()
    {
        var app = App();
        var id = await StartAsync(app);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Emulator.Faults.Add(new OtpEmulatorFault { Provider = "iP1", StatusCode = 503 });

        var resent = await app.Sessions.ResendAsync(id, Ip);

        Assert.Multiple(() =>
        {
            Assert.That(resent.IsSuccess, Is.True, resent.ToString());
            Assert.That(resent.ProviderName, Is.EqualTo("AMM"), "a code from the provider that already sent beats no code");
        });
    }

    [Test]
    public async Task ResendAsync_WithoutFailover_SendsThroughTheOneProvider()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Emulator.TimeProvider);
        services.AddOtpClient(otp => otp.UseIp1(Emulator.ConfigureIp1));
        await using var provider = services.BuildServiceProvider();
        var sessions = provider.GetRequiredService<IOtpVerificationSessions>();
        var started = await sessions.StartAsync(new OtpSendRequest(Phone));
        var tooSoon = await sessions.ResendAsync(started.VerificationId!);
        Clock.Advance(TimeSpan.FromSeconds(30)); // sessions are guarded by default: the 30 s cooldown holds for a resend

        var resent = await sessions.ResendAsync(started.VerificationId!);
        var verified = await sessions.CheckAsync(started.VerificationId!, Emulator.Outbox.LastCodeFor(Phone)!);

        Assert.Multiple(() =>
        {
            Assert.That(tooSoon.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.Cooldown), tooSoon.ToString());
            Assert.That(tooSoon.Error?.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(resent.ProviderName, Is.EqualTo("iP1"));
            Assert.That(verified.IsVerified, Is.True, verified.ToString());
        });
    }
}
