using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpClients.Guard;

namespace OtpClients.Tests.Guard;

/// <summary>The guard's, the sessions' and Redis's options: bound from configuration, validated at start with messages that name the setting's path.</summary>
public sealed class SendGuardOptionsTests
{
    private static readonly (string, string)[] Amm = [("Otp:Provider", "Amm"), ("Otp:Amm:AuthKey", "k"), ("Otp:Amm:AuthSecret", "s")];

    /// <summary>Builds a configuration; a later value for a key replaces an earlier one.</summary>
    private static IConfiguration Config(params (string Key, string Value)[] values)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            merged[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(merged).Build();
    }

    private static string StartFailure(Action<IServiceCollection> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        configure(builder.Services);
        using var host = builder.Build();
        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return exception!.Message;
    }

    [Test]
    public void AddOtpClient_SendGuardSection_BindsEveryRuleListsAndConversion()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(Config([.. Amm,
            ("Otp:SendGuard:Cooldown", "00:01:00"),
            ("Otp:SendGuard:MaxSendsPerNumber", "4"),
            ("Otp:SendGuard:NumberWindow", "02:00:00"),
            ("Otp:SendGuard:MaxSendsPerIp", "7"),
            ("Otp:SendGuard:MaxRegionsPerIp", "2"),
            ("Otp:SendGuard:AllowedRegions:0", "IL"),
            ("Otp:SendGuard:AllowedRegions:1", "IT"),
            ("Otp:SendGuard:BlockedNumbers:0", "+972 54 000 0000"),
            ("Otp:SendGuard:MaxSendsPerRegion", "50"),
            ("Otp:SendGuard:MaxSendsPerHour", "500"),
            ("Otp:SendGuard:MaxVerifyAttempts", "4"),
            ("Otp:SendGuard:RequireClientIpAddress", "true"),
            ("Otp:SendGuard:OnStoreFailure", "FailOpen"),
            ("Otp:SendGuard:Conversion:Enabled", "true"),
            ("Otp:SendGuard:Conversion:MinSends", "30"),
            ("Otp:SendGuard:Conversion:MaxUnverifiedRatio", "0.9"),
            ("Otp:Sessions:MaxAttempts", "3"),
            ("Otp:Sessions:DefaultTimeToLive", "00:05:00")]).GetSection("Otp"));
        using var provider = services.BuildServiceProvider();

        var guard = provider.GetRequiredService<IOptionsMonitor<OtpSendGuardOptions>>().Get(Options.DefaultName);
        var sessions = provider.GetRequiredService<IOptionsMonitor<OtpSessionOptions>>().Get(Options.DefaultName);

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IOtpClient>().GetType().Name, Is.EqualTo("SendGuardOtpClient"), "a SendGuard section turns the guard on");
            Assert.That(guard.Cooldown, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(guard.MaxSendsPerNumber, Is.EqualTo(4));
            Assert.That(guard.NumberWindow, Is.EqualTo(TimeSpan.FromHours(2)));
            Assert.That(guard.MaxSendsPerIp, Is.EqualTo(7));
            Assert.That(guard.IpWindow, Is.EqualTo(TimeSpan.FromHours(1)), "defaults stay for what is not set");
            Assert.That(guard.MaxRegionsPerIp, Is.EqualTo(2));
            Assert.That(guard.AllowedRegions, Is.EqualTo(new[] { "IL", "IT" }));
            Assert.That(guard.BlockedNumbers, Is.EqualTo(new[] { "+972 54 000 0000" }));
            Assert.That(guard.MaxSendsPerRegion, Is.EqualTo(50));
            Assert.That(guard.MaxSendsPerHour, Is.EqualTo(500));
            Assert.That(guard.MaxVerifyAttempts, Is.EqualTo(4));
            Assert.That(guard.RequireClientIpAddress, Is.True);
            Assert.That(guard.OnStoreFailure, Is.EqualTo(OtpGuardFailureMode.FailOpen));
            Assert.That(guard.Conversion.Enabled, Is.True);
            Assert.That(guard.Conversion.MinSends, Is.EqualTo(30));
            Assert.That(guard.Conversion.MaxUnverifiedRatio, Is.EqualTo(0.9));
            Assert.That(sessions.MaxAttempts, Is.EqualTo(3));
            Assert.That(sessions.DefaultTimeToLive, Is.EqualTo(TimeSpan.FromMinutes(5)));
        });
    }

    [Test]
    public void AddOtpClient_NoSendGuardSection_RegistersNoGuard()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(Config(Amm).GetSection("Otp"));
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IOtpClient>().GetType().Name, Is.Not.EqualTo("SendGuardOtpClient"));
    }

    [TestCase("Otp:SendGuard:MaxSendsPerNumber", "-1", "Otp:SendGuard:MaxSendsPerNumber must be 0 (off) or more; it is -1.")]
    [TestCase("Otp:SendGuard:NumberWindow", "00:00:00", "Otp:SendGuard:NumberWindow must be more than zero")]
    [TestCase("Otp:SendGuard:Cooldown", "2.00:00:00", "Otp:SendGuard:Cooldown must be from 0 (off) to 1 day")]
    [TestCase("Otp:SendGuard:MaxVerifyAttempts", "5000", "Otp:SendGuard:MaxVerifyAttempts must be from 0 (off) to 1000")]
    [TestCase("Otp:SendGuard:AllowedRegions:0", "Israel", "Otp:SendGuard:AllowedRegions:0 'Israel' is not a region code")]
    [TestCase("Otp:SendGuard:BlockedNumbers:0", "054-1234567", "Otp:SendGuard:BlockedNumbers:0 is not a phone number in international form")]
    [TestCase("Otp:SendGuard:Conversion:MaxUnverifiedRatio", "1.5", "Otp:SendGuard:Conversion:MaxUnverifiedRatio must be more than 0 and at most 1")]
    [TestCase("Otp:SendGuard:Conversion:GracePeriod", "05:00:00", "Otp:SendGuard:Conversion:GracePeriod must be 0 or more and shorter than Otp:SendGuard:Conversion:Window")]
    [TestCase("Otp:Sessions:MaxAttempts", "0", "Otp:Sessions:MaxAttempts must be from 1 to 100; it is 0.")]
    [TestCase("Otp:Sessions:DefaultTimeToLive", "00:00:10", "Otp:Sessions:DefaultTimeToLive must be from 1 minute to 1 day")]
    public void Start_BadSetting_FailsNamingTheConfigurationPath(string key, string value, string message)
    {
        var failure = StartFailure(s => s.AddOtpClient(Config([.. Amm, ("Otp:SendGuard:Cooldown", "00:00:30"), (key, value)]).GetSection("Otp")));

        Assert.That(failure, Does.Contain(message));
    }

    [Test]
    public void Start_RegionBothAllowedAndBlocked_FailsNamingBothLists()
    {
        var failure = StartFailure(s => s.AddOtpClient(otp =>
        {
            otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; });
            otp.UseSendGuard(g => { g.AllowedRegions.Add("IL"); g.BlockedRegions.Add("il"); });
        }));

        Assert.That(failure, Does.Contain("SendGuard:AllowedRegions and SendGuard:BlockedRegions both name IL"));
    }

    [Test]
    public void Start_RedisWithoutHashKey_FailsNamingTheSetting()
    {
        var failure = StartFailure(s => s.AddOtpClient(otp =>
        {
            otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; });
            otp.UseSendGuard();
            otp.UseRedis("127.0.0.1:1", _ => { });
        }));

        Assert.That(failure, Does.Contain("Redis:HashKey is required"));
    }

    [TestCase("short-key", "Otp:Redis:HashKey must be at least 32 characters; it has 9.")]
    [TestCase("", "Otp:Redis:HashKey is required")]
    public void Start_RedisSectionWithBadHashKey_FailsNamingTheConfigurationPath(string hashKey, string message)
    {
        var configuration = Config([.. Amm, ("Otp:Redis:Configuration", "127.0.0.1:1"), ("Otp:Redis:HashKey", hashKey)]);
        var failure = StartFailure(s => s.AddOtpClient(configuration.GetSection("Otp")).UseRedis(configuration.GetSection("Otp:Redis")));

        Assert.That(failure, Does.Contain(message));
    }

    [Test]
    public void Start_RedisSectionWithoutUseRedis_FailsSayingWhatToCall()
    {
        // The review's finding: Otp:Redis was accepted and ignored, so every instance kept its own budgets and sessions.
        var configuration = Config([.. Amm, ("Otp:Redis:Configuration", "127.0.0.1:1"), ("Otp:Redis:HashKey", new string('h', 32))]);
        var failure = StartFailure(s => s.AddOtpClient(configuration.GetSection("Otp")));

        Assert.Multiple(() =>
        {
            Assert.That(failure, Does.Contain("Otp:Redis is set, but the guard's counters and the sessions are in this process's memory"));
            Assert.That(failure, Does.Contain("call otp.UseRedis(configuration.GetSection(\"Otp:Redis\"))"));
        });
    }

    [Test]
    public void Resolve_RedisSectionWithoutUseRedis_FailsBeforeAnySend()
    {
        var configuration = Config([.. Amm, ("Otp:Redis:HashKey", new string('h', 32))]);
        var services = new ServiceCollection();
        services.AddOtpClient(configuration.GetSection("Otp"));
        using var provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<IOtpVerificationSessions>(), Throws.TypeOf<OptionsValidationException>().With.Message.Contains("Otp:Redis is set"));
    }

    [Test]
    public async Task Resolve_RedisSectionWithUseRedis_Starts()
    {
        var configuration = Config([.. Amm, ("Otp:Redis:Configuration", "127.0.0.1:1,abortConnect=false"), ("Otp:Redis:HashKey", new string('h', 32))]);
        var services = new ServiceCollection();
        services.AddOtpClient(configuration.GetSection("Otp")).UseRedis(configuration.GetSection("Otp:Redis"));
        await using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IOtpVerificationSessions>(), Is.Not.Null);
    }

    [Test]
    public void UseRedis_BadArguments_Throw()
    {
        var builder = new ServiceCollection().AddOtpClient(otp => otp.UseAmm(o => { o.AuthKey = "k"; o.AuthSecret = "s"; }));

        Assert.Multiple(() =>
        {
            Assert.That(() => OtpRedisBuilderExtensions.UseRedis(null!, "localhost", _ => { }), Throws.ArgumentNullException);
            Assert.That(() => builder.UseRedis(" ", _ => { }), Throws.ArgumentException.With.Property("ParamName").EqualTo("configuration"));
            Assert.That(() => builder.UseRedis("localhost", null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("configure"));
            Assert.That(() => builder.UseRedis((IConfiguration)null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("section"));
        });
    }
}
