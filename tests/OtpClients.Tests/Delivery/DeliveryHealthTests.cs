using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpClients.Delivery;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Delivery;

/// <summary>
/// Delivery health end to end on the emulator: demotion and its probes, restoration, the Warning logs and metrics, the
/// health check, and a store that cannot be reached.
/// </summary>
public sealed class DeliveryHealthTests : EmulatorFixture
{
    private const string Ip = "203.0.113.9";

    /// <summary>An address in the /24 of its own for user <paramref name="n"/>.</summary>
    internal static string NetworkOf(int n) => $"10.{n / 256 % 256}.{n % 256}.9";
    private int next;

    private string NewPhone() => "+39348" + (2_000_000 + Interlocked.Increment(ref next)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A user who does not get AMM's code, asks again after a second and verifies iP1's.</summary>
    private async Task<string?> UserAsync(DeliveryApp app)
    {
        var phone = NewPhone();
        var ip = NetworkOf(next); // each user from a network of their own: delivery health counts people, not requests
        var started = await app.Sessions.StartAsync(new OtpSendRequest(phone) { ClientIpAddress = ip });
        Assert.That(started.IsSuccess, Is.True, started.ToString());
        Clock.Advance(TimeSpan.FromSeconds(1));
        if (Emulator.Outbox.LastDeliveredFor(phone) is null)
        {
            var resent = await app.Sessions.ResendAsync(started.VerificationId!, ip);
            Assert.That(resent.IsSuccess, Is.True, resent.ToString());
        }

        var verified = await app.Sessions.CheckAsync(started.VerificationId!, Emulator.Outbox.LastDeliveredFor(phone)!.Code, ip);
        Assert.That(verified.IsVerified, Is.True, verified.ToString());
        return started.ProviderName;
    }

    private DeliveryApp App(TelemetryCapture? telemetry = null, Action<OtpClientBuilder>? more = null) =>
        DeliveryApp.Create(Emulator, health: o => { o.MinSends = 5; o.ProbeShare = 0.25; }, guard: g => g.MaxSendsPerIp = 0, logger: telemetry?.LoggerProvider, more: otp =>
        {
            otp.Services.AddHealthChecks().AddOtpClient();
            more?.Invoke(otp);
        });

    [Test]
    public async Task SilentProvider_IsDemotedForItsRegion_NewSessionsGoToTheNextFirstWithProbes()
    {
        using var telemetry = new TelemetryCapture();
        await using var app = App(telemetry);
        Emulator.Delivery.Drop("AMM");
        for (var i = 0; i < 5; i++)
        {
            Assert.That(await UserAsync(app), Is.EqualTo("AMM"), "before detection, sessions start on AMM");
        }

        var firsts = new List<string?>();
        for (var i = 0; i < 8; i++)
        {
            firsts.Add(await UserAsync(app));
        }

        var amm = await app.ReportAsync("AMM");
        Assert.Multiple(() =>
        {
            Assert.That(amm!.IsDemoted, Is.True, amm.ToString());
            Assert.That(amm.Resent, Is.GreaterThanOrEqualTo(5));
            Assert.That(amm.Baseline, Is.EqualTo(1.0), "iP1 verified every resend");
            Assert.That(firsts.Count(p => p == "AMM"), Is.EqualTo(2), "one new session in four (ProbeShare 0.25) still probes AMM: " + string.Join(",", firsts));
            Assert.That(telemetry.Logs.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[ProviderDemoted]", StringComparison.Ordinal) && l.Contains("AMM demoted for region IT", StringComparison.Ordinal)), Is.EqualTo(1), string.Join("\n", telemetry.Logs));
            Assert.That(telemetry.Measurements.Any(m => m.Instrument == "otp.delivery.demotions" && m.Tags["otp.provider"] == "AMM" && m.Tags["otp.region"] == "IT"), Is.True);
            Assert.That(telemetry.Measurements.Count(m => m.Instrument == "otp.delivery.resends" && m.Tags["otp.provider"] == "AMM"), Is.GreaterThanOrEqualTo(5));
            Assert.That(telemetry.Measurements.Any(m => m.Instrument == "otp.delivery.verifications" && m.Tags["otp.provider"] == "iP1"), Is.True);
            Assert.That(telemetry.AllText(), Does.Not.Contain("348200"), "no number in logs or tags");
        });
    }

    [Test]
    public async Task DemotedProvider_DeliveringAgain_IsRestoredThroughItsProbes()
    {
        using var telemetry = new TelemetryCapture();
        await using var app = App(telemetry);
        Emulator.Delivery.Drop("AMM");
        for (var i = 0; i < 10; i++)
        {
            await UserAsync(app);
        }

        Assert.That((await app.ReportAsync("AMM"))!.IsDemoted, Is.True);
        Emulator.Delivery.Deliver("AMM");
        var firsts = new List<string?>();
        for (var i = 0; i < 40; i++)
        {
            firsts.Add(await UserAsync(app));
        }

        Assert.Multiple(async () =>
        {
            Assert.That((await app.ReportAsync("AMM"))!.IsDemoted, Is.False);
            Assert.That(firsts.TakeLast(10), Is.All.EqualTo("AMM"), "its place in the route is back: " + string.Join(",", firsts));
            Assert.That(telemetry.Logs.Any(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("[ProviderRestored]", StringComparison.Ordinal) && l.Contains("AMM restored for region IT", StringComparison.Ordinal)), Is.True);
        });
    }

    [Test]
    public async Task Figures_ManySessionsFromOneNetwork_CountTwo()
    {
        // A bot on a few addresses of one /24 starts sessions it never verifies: only MaxSendsPerNetwork (2) of them
        // count, whichever address of the network asks.
        await using var app = App();
        for (var i = 0; i < 6; i++)
        {
            var started = await app.Sessions.StartAsync(new OtpSendRequest(NewPhone()) { ClientIpAddress = $"198.51.100.{10 + i}" });
            Assert.That(started.IsSuccess, Is.True, started.ToString());
        }

        var started6 = await app.Sessions.StartAsync(new OtpSendRequest(NewPhone()) { ClientIpAddress = "2001:db8:1:2::1" });
        var started7 = await app.Sessions.StartAsync(new OtpSendRequest(NewPhone()) { ClientIpAddress = "2001:db8:1:ff::9" });
        var started8 = await app.Sessions.StartAsync(new OtpSendRequest(NewPhone()) { ClientIpAddress = "2001:db8:1:77::5" });
        var amm = await app.ReportAsync("AMM");

        Assert.Multiple(() =>
        {
            Assert.That(new[] { started6, started7, started8 }.Select(s => s.IsSuccess), Is.All.True, "sessions past the bound still send: it bounds the figures, never the user");
            Assert.That(amm!.Sends, Is.EqualTo(4), "two of the IPv4 /24 and two of the IPv6 /48");
        });
    }

    [Test]
    public async Task Resend_FromAnotherNetworkThanTheSessions_DoesNotCountAgainstTheProvider()
    {
        // Whoever holds a session id can ask a resend; only the network that started the session speaks for the phone.
        await using var app = App();
        var own = await app.Sessions.StartAsync(new OtpSendRequest(NewPhone()) { ClientIpAddress = "203.0.113.9" });
        var stranger = await app.Sessions.StartAsync(new OtpSendRequest(NewPhone()) { ClientIpAddress = "203.0.114.9" });
        Clock.Advance(TimeSpan.FromSeconds(31));

        var fromOwn = await app.Sessions.ResendAsync(own.VerificationId!, "203.0.113.200");
        var fromElsewhere = await app.Sessions.ResendAsync(stranger.VerificationId!, "192.0.2.1");
        var amm = await app.ReportAsync("AMM");

        Assert.Multiple(() =>
        {
            Assert.That(fromOwn.IsSuccess && fromElsewhere.IsSuccess, Is.True, $"{fromOwn} {fromElsewhere}");
            Assert.That(amm!.Resent, Is.EqualTo(1), "only the resend from the session's own /24 counts against AMM");
        });
    }

    [Test]
    public async Task HealthyProviders_AreNeverDemoted()
    {
        await using var app = App();
        for (var i = 0; i < 30; i++)
        {
            Assert.That(await UserAsync(app), Is.EqualTo("AMM"));
        }

        var amm = await app.ReportAsync("AMM");
        Assert.Multiple(() =>
        {
            Assert.That(amm!.IsDemoted, Is.False);
            Assert.That(amm.Verified, Is.EqualTo(30));
            Assert.That(amm.Conversion, Is.EqualTo(1.0));
        });
    }

    [Test]
    public async Task HealthCheck_DemotedProvider_IsDegradedWithItsFigures()
    {
        await using var app = App();
        Emulator.Delivery.Drop("AMM");
        for (var i = 0; i < 8; i++)
        {
            await UserAsync(app);
        }

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["otp"];

        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded), entry.Description);
            Assert.That(entry.Data["AMM.delivery.IT.status"], Is.EqualTo("Degraded"));
            Assert.That(entry.Data["AMM.delivery.IT.resent"], Is.GreaterThanOrEqualTo(5L));
            Assert.That(entry.Description, Does.Contain("AMM.delivery.IT: Degraded (demoted"));
        });
    }

    [Test]
    public async Task StoreOutage_SendsFollowTheConfiguredOrderAndItIsLoggedOnce()
    {
        using var telemetry = new TelemetryCapture();
        var down = new UnreachableStore();
        await using var app = App(telemetry, otp => otp.Services.AddSingleton<IOtpDeliveryHealthStore>(down));
        Emulator.Delivery.Drop("AMM");

        var firsts = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            firsts.Add(await UserAsync(app));
        }

        var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Multiple(() =>
        {
            Assert.That(firsts, Is.All.EqualTo("AMM"), "the configured order; nothing refused, every user verified");
            Assert.That(down.Calls, Is.GreaterThan(10), "the store was asked");
            Assert.That(telemetry.Logs.Count(l => l.Contains("[DeliveryStoreFailed]", StringComparison.Ordinal)), Is.EqualTo(1), "logged once");
            Assert.That(health.Entries["otp"].Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(health.Entries["otp"].Data["delivery.store"], Is.EqualTo("unavailable: InvalidOperationException"));
            Assert.ThrowsAsync<InvalidOperationException>(() => app.Health.GetReportsAsync());
        });

        // Back: it says so, and learns again.
        down.Up = true;
        await UserAsync(app);
        Assert.That(telemetry.Logs.Count(l => l.Contains("[DeliveryStoreRecovered]", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    private sealed class UnreachableStore : IOtpDeliveryHealthStore
    {
        private readonly InMemoryOtpDeliveryHealthStore inner = new(TimeProvider.System);
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public bool Up { get; set; }

        public ValueTask AddAsync(OtpDeliverySeries series, long bucket, OtpDeliveryOutcome outcome, TimeSpan retention, CancellationToken cancellationToken = default) =>
            Fail() ?? inner.AddAsync(series, bucket, outcome, retention, cancellationToken);

        public ValueTask<bool> TryAddNetworkAsync(OtpDeliverySeries series, string network, int limit, TimeSpan window, CancellationToken cancellationToken = default)
        {
            Fail();
            return inner.TryAddNetworkAsync(series, network, limit, window, cancellationToken);
        }

        public ValueTask<IReadOnlyList<IReadOnlyList<OtpDeliveryBucket>>> ReadAsync(IReadOnlyList<OtpDeliverySeries> series, long oldestBucket, CancellationToken cancellationToken = default)
        {
            Fail();
            return inner.ReadAsync(series, oldestBucket, cancellationToken);
        }

        public ValueTask<IReadOnlyList<OtpDeliverySeries>> ListAsync(string scope, CancellationToken cancellationToken = default)
        {
            Fail();
            return inner.ListAsync(scope, cancellationToken);
        }

        private ValueTask? Fail()
        {
            Interlocked.Increment(ref calls);
            return Up ? null : throw new InvalidOperationException("The store is down.");
        }
    }
}
