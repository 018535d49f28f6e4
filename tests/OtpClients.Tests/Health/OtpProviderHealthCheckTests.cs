using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpClients.Amm;
using OtpClients.HealthChecks;
using OtpClients.Tests.Infrastructure;
using WireMock.Server;

namespace OtpClients.Tests.Health;

/// <summary>
/// <c>AddHealthChecks().AddOtpClient()</c> through the real HealthCheckService, with each state reached by driving the
/// provider's circuit breaker over real HTTP (a WireMock.Net stand-in answering 500 or 200).
/// </summary>
public sealed class OtpProviderHealthCheckTests
{
    private const string Phone = "+39 348 123 4567";
    private const string SendOk = "{\"verify_id\": \"v1\"}";
    private const string Secret = "amm-secret-never-shown";

    private WireMockServer server = null!;
    private ServiceProvider? provider;

    [SetUp]
    public void Start() => server = ProviderStandIn.Start();

    [TearDown]
    public async Task StopAsync()
    {
        server.Dispose();
        if (provider is not null)
        {
            await provider.DisposeAsync();
            provider = null;
        }
    }

    /// <summary>AMM on the stand-in (no retries; the breaker opens after 3 failures in 3 calls for 1 s), iP1 as a keyed backup registration.</summary>
    private IOtpClient Create(Action<AmmOptions>? amm = null, Action<OtpHealthCheckOptions>? health = null, bool withBackup = true, Action<IHealthChecksBuilder>? checks = null)
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(o =>
        {
            o.BaseAddress = server.BaseAddress();
            o.AuthKey = "k";
            o.AuthSecret = Secret;
            o.MaxRetryAttempts = 0;
            o.CircuitBreaker.FailureRatio = 1.0;
            o.CircuitBreaker.MinimumThroughput = 3;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
            amm?.Invoke(o);
        }));
        if (withBackup)
        {
            services.AddOtpClient("backup", otp => otp.UseIp1(o =>
            {
                o.BaseAddress = server.BaseAddress();
                o.AccountId = "ip1-1";
                o.ApiKey = "ip1-key-never-shown";
            }));
        }

        if (checks is null)
        {
            services.AddHealthChecks().AddOtpClient(configure: health);
        }
        else
        {
            checks(services.AddHealthChecks());
        }
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOtpClient>();
    }

    private Task<HealthReport> CheckAsync() => provider!.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    private static HealthReportEntry Otp(HealthReport report) => report.Entries[OtpHealthChecksBuilderExtensions.DefaultName];

    private async Task FailAsync(IOtpClient client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest(Phone))).IsSuccess, Is.False);
        }
    }

    [Test]
    public async Task CheckHealthAsync_NoCallsYet_HealthyWithEveryProviderOfEveryRegistration()
    {
        Create();

        var entry = Otp(await CheckAsync());

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(entry.Data["AMM.circuit"], Is.EqualTo("Closed"));
            Assert.That(entry.Data["AMM.calls"], Is.EqualTo(0));
            Assert.That(entry.Data["backup/iP1.circuit"], Is.EqualTo("Closed"));
            Assert.That(entry.Data["backup/iP1.status"], Is.EqualTo("Healthy"));
            Assert.That(server.RequestCount(), Is.Zero, "a health check sends nothing");
        });
    }

    [Test]
    public async Task CheckHealthAsync_CircuitOpen_UnhealthyThenHalfOpenDegradedThenClosedHealthy()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(500));
        var client = Create();
        await FailAsync(client, 3);

        var open = Otp(await CheckAsync());
        Assert.Multiple(() =>
        {
            Assert.That(open.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(open.Data["AMM.circuit"], Is.EqualTo("Open"));
            Assert.That(open.Data["AMM.failureRatio"], Is.EqualTo(1.0));
            Assert.That(open.Data["AMM.calls"], Is.EqualTo(3));
            Assert.That(open.Data, Does.ContainKey("AMM.openUntil"));
            Assert.That(open.Data["backup/iP1.status"], Is.EqualTo("Healthy"), "each provider is reported on its own");
            Assert.That(open.Description, Does.Contain("AMM: Unhealthy (circuit Open, 3/3 calls failed)"));
        });

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var halfOpen = Otp(await CheckAsync());
        Assert.Multiple(() =>
        {
            Assert.That(halfOpen.Status, Is.EqualTo(HealthStatus.Degraded), "the break is over: the next call is a trial");
            Assert.That(halfOpen.Data["AMM.circuit"], Is.EqualTo("HalfOpen"));
        });

        server.ResetMappings();
        server.Answer(Endpoints.AmmSend, Reply.Json(200, SendOk));
        Assert.That((await client.SendAsync(new OtpSendRequest(Phone))).IsSuccess, Is.True);
        var closed = Otp(await CheckAsync());
        Assert.Multiple(() =>
        {
            Assert.That(closed.Data["AMM.circuit"], Is.EqualTo("Closed"));
            Assert.That(server.RequestCount(), Is.EqualTo(4), "three failures and the trial; the checks sent nothing");
        });
    }

    [Test]
    public async Task CheckHealthAsync_FailuresAboveThresholdCircuitClosed_Degraded()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(503), Reply.Json(200, SendOk), Reply.Json(200, SendOk), Reply.Json(200, SendOk), Reply.Empty(500));
        var client = Create(amm: o => o.CircuitBreaker.MinimumThroughput = 100, health: h => { h.DegradedFailureRatio = 0.4; h.MinimumCalls = 5; });
        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync(new OtpSendRequest(Phone));
        }

        var entry = Otp(await CheckAsync());

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded), "2 of 5 failed, at the 0.4 threshold");
            Assert.That(entry.Data["AMM.circuit"], Is.EqualTo("Closed"));
            Assert.That(entry.Data["AMM.failures"], Is.EqualTo(2));
            Assert.That(entry.Data["AMM.calls"], Is.EqualTo(5));
            Assert.That(entry.Data["AMM.failureRatio"], Is.EqualTo(0.4));
        });
    }

    [Test]
    public async Task CheckHealthAsync_FewerCallsThanMinimum_HealthyDespiteFailures()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(500));
        var client = Create(amm: o => o.CircuitBreaker.MinimumThroughput = 100);
        await FailAsync(client, 2);

        var entry = Otp(await CheckAsync());

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy), "2 calls are below MinimumCalls (5)");
            Assert.That(entry.Data["AMM.failures"], Is.EqualTo(2));
        });
    }

    [Test]
    public async Task CheckHealthAsync_RecipientLimitAndWrongCode_NotCountedAsFailures()
    {
        server.Answer(Endpoints.AmmSend, Reply.Json(429, "{\"errorMsg\":\"ANTISPAM\",\"errorCode\":429}"));
        var client = Create(amm: o => o.CircuitBreaker.MinimumThroughput = 100, health: h => h.MinimumCalls = 1);
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest(Phone))).Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
        }

        var entry = Otp(await CheckAsync());

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy), "a bot hammering one number says nothing about the provider");
            Assert.That(entry.Data["AMM.calls"], Is.EqualTo(3));
            Assert.That(entry.Data["AMM.failures"], Is.EqualTo(0));
        });
    }

    [Test]
    public async Task CheckHealthAsync_BreakerDisabled_ReportsDisabledAndJudgesTheRatio()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(500));
        var client = Create(amm: o => o.CircuitBreaker.Enabled = false, health: h => h.MinimumCalls = 3);
        await FailAsync(client, 3);

        var entry = Otp(await CheckAsync());

        Assert.Multiple(() =>
        {
            Assert.That(entry.Data["AMM.circuit"], Is.EqualTo("Disabled"));
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
        });
    }

    [Test]
    public async Task CheckHealthAsync_CustomFailureStatus_OpenCircuitReportsIt()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(500));
        var client = Create(withBackup: false, checks: c => c.AddOtpClient("sms", failureStatus: HealthStatus.Degraded, tags: ["ready"]));
        await FailAsync(client, 3);

        var report = await CheckAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Entries["sms"].Status, Is.EqualTo(HealthStatus.Degraded), "failover to another registration may still serve");
            Assert.That(report.Entries["sms"].Tags, Is.EquivalentTo(new[] { "ready" }));
        });
    }

    [Test]
    public async Task CheckHealthAsync_NoOtpClientRegistered_UnhealthyNamingTheFix()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddOtpClient();
        provider = services.BuildServiceProvider();

        var entry = Otp(await CheckAsync());

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Does.Contain("AddOtpClient"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_Data_HoldsNoSecretOrNumber()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(500));
        var client = Create();
        await FailAsync(client, 3);

        var entry = Otp(await CheckAsync());
        var printed = JsonSerializer.Serialize(entry.Data) + entry.Description;

        Assert.Multiple(() =>
        {
            Assert.That(printed, Does.Not.Contain(Secret));
            Assert.That(printed, Does.Not.Contain("ip1-key-never-shown"));
            Assert.That(printed, Does.Not.Contain("3481234567"));
        });
    }

    [TestCase(0.0, 5, "DegradedFailureRatio")]
    [TestCase(1.5, 5, "DegradedFailureRatio")]
    [TestCase(double.NaN, 5, "DegradedFailureRatio")]
    [TestCase(0.2, 0, "MinimumCalls")]
    public void AddOtpClient_SettingOutOfRange_ThrowsNamingIt(double ratio, int minimumCalls, string setting)
    {
        var services = new ServiceCollection();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddHealthChecks().AddOtpClient(configure: o =>
        {
            o.DegradedFailureRatio = ratio;
            o.MinimumCalls = minimumCalls;
        }));

        Assert.That(ex!.Message, Does.Contain("OtpHealthCheckOptions." + setting));
    }

    [Test]
    public void AddOtpClient_NullOrEmptyArguments_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentNullException>(() => OtpHealthChecksBuilderExtensions.AddOtpClient(null!));
            Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHealthChecks().AddOtpClient(string.Empty));
        });
    }

    [Test]
    public async Task GetReports_AfterFailures_ReportsRegistrationWindowAndSummary()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(500));
        var client = Create(withBackup: false);
        await FailAsync(client, 3);
        var report = provider!.GetRequiredService<IOtpProviderHealth>().GetReports().Single();

        Assert.Multiple(() =>
        {
            Assert.That(report.CircuitState, Is.EqualTo(OtpCircuitState.Open));
            Assert.That(report.OpenUntil, Is.Not.Null);
            Assert.That(report.ProviderName, Is.EqualTo("AMM"));
            Assert.That(report.Registration, Is.Null);
            Assert.That(report.Window, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(report.ToString(), Is.EqualTo("AMM: Open, 3/3 failed in 30 s"));
        });
    }
}
