using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>
/// The routes of the review that need real providers (the emulator) or a provider of another kind: rewritten challenge
/// ids at iP1 and 99digital, a plug-in that takes national numbers, one registration's sessions checked through another,
/// and sessions without <c>UseSendGuard</c>.
/// </summary>
public sealed class GuardRoutesTests : EmulatorFixture
{
    private const string Israeli = "+972541234567";
    private readonly List<ServiceProvider> providers = [];

    [TearDown]
    public async Task DisposeProvidersAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        providers.Clear();
    }

    /// <summary>Route 4: iP1 reads <c>"000" + id</c> as the id. On main, 8 more wrong codes went through and then the right one verified.</summary>
    [Test]
    public async Task VerifyAsync_Ip1IdWithLeadingZeros_GetsNoFreshAttempts()
    {
        var client = Services(otp => { otp.UseIp1(Emulator.ConfigureIp1); otp.UseSendGuard(g => g.MaxVerifyAttempts = 3); }).GetRequiredService<IOtpClient>();
        var sent = await client.SendAsync(new OtpSendRequest(Israeli));
        var code = Emulator.Outbox.LastCodeFor(Israeli)!;
        var wrong = code == "00000" ? "11111" : "00000";
        for (var i = 0; i < 3; i++)
        {
            await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, wrong));
        }

        var rewritten = new List<OtpVerifyResult>();
        foreach (var id in new[] { "0" + sent.Challenge!.Id, "000" + sent.Challenge.Id, " " + sent.Challenge.Id })
        {
            rewritten.Add(await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge with { Id = id }, code)));
        }

        var right = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge, code));

        Assert.Multiple(() =>
        {
            Assert.That(rewritten.Select(r => r.Error?.ProviderCode), Is.All.EqualTo(OtpGuardRules.VerifyAttempts));
            Assert.That(right.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.VerifyAttempts), "the cap holds for the right code too");
            Assert.That(right.IsVerified, Is.False);
        });
    }

    [Test]
    public async Task VerifyAsync_Ip1IdWithLeadingZeros_IsRefusedBeforeHttpWithoutTheGuard()
    {
        var client = Services(otp => otp.UseIp1(Emulator.ConfigureIp1)).GetRequiredService<IOtpClient>();
        var sent = await client.SendAsync(new OtpSendRequest(Israeli));
        var calls = Emulator.Outbox.Messages.Count;

        var rewritten = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge! with { Id = "000" + sent.Challenge.Id }, Emulator.Outbox.LastCodeFor(Israeli)!));

        Assert.Multiple(() =>
        {
            Assert.That(rewritten.Error?.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(rewritten.Error?.Message, Does.Contain("no leading zero"));
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(calls));
        });
    }

    /// <summary>Route 4: 99digital checks by number and ignores the id, so a new id must not mean new attempts.</summary>
    [Test]
    public async Task VerifyAsync_NinetyNineDigitalWithAnotherId_SharesTheNumbersAttempts()
    {
        var client = Services(otp => { otp.UseNinetyNineDigital(Emulator.ConfigureNinetyNineDigital); otp.UseSendGuard(g => g.MaxVerifyAttempts = 3); }).GetRequiredService<IOtpClient>();
        var sent = await client.SendAsync(new OtpSendRequest(Israeli));
        var code = Emulator.Outbox.LastCodeFor(Israeli)!;
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 3; i++)
        {
            await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, wrong));
        }

        var otherId = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge! with { Id = "anything-" + Guid.NewGuid().ToString("N") }, code));
        var otherSpelling = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge! with { Id = "x1", PhoneNumber = "+972 54-123-4567" }, code));

        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True, sent.ToString());
            Assert.That(otherId.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.VerifyAttempts), otherId.ToString());
            Assert.That(otherSpelling.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.VerifyAttempts), otherSpelling.ToString());
        });
    }

    /// <summary>Route 3: a plug-in that accepts national numbers got 5 SMS under budgets of 1, because the guard skipped what it could not parse.</summary>
    [Test]
    public async Task SendAsync_NumberTheGuardCannotRead_IsRefusedAndNothingIsSent()
    {
        var national = new NationalNumberProvider();
        var client = Services(otp =>
        {
            otp.AddProvider<NationalOptions, NationalNumberProvider>(
                new OtpProviderDescriptor("National", "National", static (_, _) => throw new NotSupportedException()),
                static _ => { },
                (_, _, _) => national);
            otp.UseSendGuard(g =>
            {
                g.MaxSendsPerNumber = 1;
                g.MaxSendsPerIp = 1;
                g.MaxSendsPerHour = 1;
                g.RequireClientIpAddress = true;
            });
        }).GetRequiredService<IOtpClient>();

        var results = new List<OtpSendResult>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await client.SendAsync(new OtpSendRequest("0501234567") { ClientIpAddress = "198.51.100." + i }));
        }

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Error?.Code), Is.All.EqualTo(OtpErrorCode.InvalidPhoneNumber));
            Assert.That(results[0].Error!.Message, Does.Contain("send guard").And.Contain("country code").And.Not.Contain("0501234567"));
            Assert.That(national.Sends, Is.Zero, "nothing reached the provider");
        });
    }

    /// <summary>Route 5: the cap of the registration that started a session holds when it is checked through a looser one.</summary>
    [Test]
    public async Task CheckAsync_SessionOfAStrictRegistrationThroughALooserOne_KeepsTheStrictCap()
    {
        var services = Services(otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseSessions(s => s.MaxAttempts = 3);
        }, also: collection => collection.AddOtpClient("loose", otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseSessions(s => s.MaxAttempts = 20);
            otp.UseSendGuard(g => g.MaxVerifyAttempts = 0);
        }));
        var strict = services.GetRequiredService<IOtpVerificationSessions>();
        var loose = services.GetRequiredKeyedService<IOtpVerificationSessions>("loose");
        var started = await strict.StartAsync(new OtpSendRequest(Israeli));
        var code = Emulator.Outbox.LastCodeFor(Israeli)!;
        var wrong = code == "0000" ? "1111" : "0000";

        var results = new List<OtpVerifyResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await loose.CheckAsync(started.VerificationId!, wrong));
        }

        var right = await loose.CheckAsync(started.VerificationId!, code);

        Assert.Multiple(() =>
        {
            Assert.That(results.Take(3).Select(r => r.Status), Is.All.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(results[3].Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts));
            Assert.That(right.Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts), "3 attempts, wherever it is checked");
        });
    }

    /// <summary>Route 9: an app that follows the web quickstart (sessions, no UseSendGuard) had no guard.</summary>
    [Test]
    public async Task StartAsync_WithoutUseSendGuard_SessionsAreGuardedWithTheDefaults()
    {
        var logs = new FakeLogCollector();
        var services = Services(otp => otp.UseAmm(Emulator.ConfigureAmm), logs);
        var sessions = services.GetRequiredService<IOtpVerificationSessions>();
        var client = services.GetRequiredService<IOtpClient>();

        var first = await sessions.StartAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "198.51.100.7" });
        var again = await sessions.StartAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "198.51.100.7" });
        var satellite = await sessions.StartAsync(new OtpSendRequest("+881612345678") { ClientIpAddress = "198.51.100.8" });
        var direct = await client.SendAsync(new OtpSendRequest("+972541234568"));

        Assert.Multiple(() =>
        {
            Assert.That(first.IsSuccess, Is.True, first.ToString());
            Assert.That(again.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.Cooldown));
            Assert.That(satellite.Error?.ProviderCode, Is.EqualTo(OtpGuardRules.BlockedNumberType));
            Assert.That(direct.IsSuccess, Is.True, "IOtpClient itself is guarded with UseSendGuard only");
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(2));
            Assert.That(logs.GetSnapshot().Where(l => l.Level == LogLevel.Warning && l.Id.Id == 1403).Select(l => l.Message).ToArray(), Has.Length.EqualTo(1).And.Some.Contains("Otp:SendGuard:AllowedRegions").Or.Some.Contains("SendGuard:AllowedRegions"));
        });
    }

    [Test]
    public async Task StartAsync_GuardTurnedOffExplicitly_SessionsAreNotGuarded()
    {
        var code = Services(otp => { otp.UseAmm(Emulator.ConfigureAmm); otp.UseSendGuard(g => g.Enabled = false); });
        var amm = new OtpClients.Amm.AmmOptions();
        Emulator.ConfigureAmm(amm);
        var collection = new ServiceCollection();
        collection.AddSingleton(Emulator.TimeProvider);
        collection.AddOtpClient(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Provider"] = "Amm",
            ["Amm:BaseAddress"] = amm.BaseAddress.ToString(),
            ["Amm:AuthKey"] = amm.AuthKey,
            ["Amm:AuthSecret"] = amm.AuthSecret,
            ["SendGuard:Enabled"] = "false",
        }).Build());
        var configured = collection.BuildServiceProvider();
        providers.Add(configured);

        foreach (var services in new[] { code, configured })
        {
            var sessions = services.GetRequiredService<IOtpVerificationSessions>();
            var first = await sessions.StartAsync(new OtpSendRequest(Israeli));
            var again = await sessions.StartAsync(new OtpSendRequest(Israeli));
            Assert.That(again.IsSuccess, Is.True, "no cooldown: " + again);
            Assert.That(first.IsSuccess, Is.True);
        }
    }

    [Test]
    public void AddOtpClient_GuardWithACountryListOrSpendCap_LogsNoWarning()
    {
        foreach (var configure in new Action<OtpSendGuardOptions>[] { g => g.AllowedRegions.Add("IL"), g => g.MaxSendsPerHour = 500 })
        {
            var logs = new FakeLogCollector();
            var services = Services(otp => { otp.UseAmm(Emulator.ConfigureAmm); otp.UseSendGuard(configure); }, logs);
            _ = services.GetRequiredService<IOptionsMonitor<OtpSendGuardOptions>>().Get(Options.DefaultName);
            Assert.That(logs.GetSnapshot().Where(l => l.Id.Id == 1403), Is.Empty);
        }
    }

    private ServiceProvider Services(Action<OtpClientBuilder> otp, FakeLogCollector? logs = null, Action<IServiceCollection>? also = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(Emulator.TimeProvider);
        collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs ?? new FakeLogCollector())));
        collection.AddOtpClient(otp);
        also?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        providers.Add(provider);
        return provider;
    }

    /// <summary>A plug-in provider that takes national numbers as they come, and counts what it sends.</summary>
    private sealed class NationalNumberProvider : IOtpClient
    {
        public int Sends { get; private set; }

        public string ProviderName => "National";

        public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
        {
            Sends++;
            return Task.FromResult(OtpSendResult.Success(new OtpChallenge("National", "n-" + Sends, request.PhoneNumber)));
        }

        public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode));
    }

    private sealed class NationalOptions() : OtpProviderOptions(new Uri("http://127.0.0.1/"))
    {
        protected override string SectionName => "National";

        protected override void ValidateProvider(ICollection<string> errors)
        {
        }
    }
}
