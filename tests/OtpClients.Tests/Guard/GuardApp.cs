using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>Where a test keeps the guard's counters and the sessions.</summary>
public enum StoreKind
{
    Memory,
    Redis,
}

/// <summary>
/// One app instance: its own service provider with an AMM client pointed at a stand-in (and any other providers a test adds), the send guard and sessions,
/// and the in-memory stores or the Redis ones (a key prefix per test keeps tests apart on one server; <see langword="null"/>: the default prefix).
/// </summary>
public sealed class GuardApp : IAsyncDisposable
{
    public const string HashKey = "test-hash-key-0123456789abcdefghijklmnop";

    private GuardApp(ServiceProvider services)
    {
        Services = services;
        Client = services.GetRequiredService<IOtpClient>();
        Sessions = services.GetRequiredService<IOtpVerificationSessions>();
    }

    public ServiceProvider Services { get; }

    public IOtpClient Client { get; }

    public IOtpVerificationSessions Sessions { get; }

    public static GuardApp Create(
        Uri amm,
        TimeProvider clock,
        StoreKind store,
        string? redisConfiguration,
        string? keyPrefix,
        Action<OtpSendGuardOptions>? guard,
        Action<OtpSessionOptions>? sessions = null,
        Action<IServiceCollection>? services = null,
        ILoggerProvider? logger = null,
        Action<OtpClientBuilder>? providers = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(clock);
        if (logger is not null)
        {
            collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logger));
        }

        collection.AddOtpClient(otp =>
        {
            otp.UseAmm(o =>
            {
                o.BaseAddress = amm;
                o.AuthKey = "k";
                o.AuthSecret = "s";
                o.MaxRetryAttempts = 0;
                o.AttemptTimeout = TimeSpan.FromSeconds(5);
            });
            providers?.Invoke(otp);
            if (guard is not null)
            {
                otp.UseSendGuard(guard);
            }

            if (sessions is not null)
            {
                otp.UseSessions(sessions);
            }

            if (store == StoreKind.Redis)
            {
                otp.UseRedis(redisConfiguration!, o =>
                {
                    o.HashKey = HashKey;
                    o.KeyPrefix = keyPrefix ?? o.KeyPrefix;
                });
            }
        });
        services?.Invoke(collection);
        return new GuardApp(collection.BuildServiceProvider());
    }

    /// <summary>Guard options with every default rule off, for tests of one rule.</summary>
    public static void NoRules(OtpSendGuardOptions g)
    {
        g.Cooldown = TimeSpan.Zero;
        g.MaxSendsPerNumber = 0;
        g.MaxSendsPerIp = 0;
        g.MaxRegionsPerIp = 0;
        g.MaxVerifyAttempts = 0;
        g.MaxSendsPerIpv6Prefix56 = 0;
        g.MaxSendsPerIpv6Prefix48 = 0;
        g.MaxFailedChecksPerIp = 0;
        g.MaxFailedChecksPerPrefix = 0;
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

/// <summary>A fixture run once with the in-memory stores and once with a real redis-server.</summary>
public abstract class GuardFixture(StoreKind store) : WireMockFixture
{
    protected const string AmmOk = "{\"verify_id\": \"amm-1\"}";
    protected const string Israeli = "+972 54 123 4567";
    protected const string Italian = "+39 348 123 4567";

    private readonly List<GuardApp> apps = [];

    protected StoreKind Store { get; } = store;

    protected RedisServer? Redis { get; private set; }

    protected string KeyPrefix { get; private set; } = "otp:";

    [OneTimeSetUp]
    public async Task StartRedisAsync()
    {
        if (Store == StoreKind.Redis)
        {
            Redis = await RedisServer.StartAsync();
        }
    }

    [OneTimeTearDown]
    public async Task StopRedisAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    [SetUp]
    public void NewPrefix()
    {
        KeyPrefix = $"t{Guid.NewGuid():N}:";
        Server.Answer(Endpoints.AmmSend, Reply.Json(200, AmmOk));
    }

    [TearDown]
    public async Task DisposeAppsAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        apps.Clear();
    }

    protected GuardApp App(Action<OtpSendGuardOptions>? guard, Action<OtpSessionOptions>? sessions = null, Action<IServiceCollection>? services = null, ILoggerProvider? logger = null, Action<OtpClientBuilder>? providers = null)
    {
        var app = GuardApp.Create(Server.BaseAddress(), Clock, Store, Redis?.Configuration, KeyPrefix, guard, sessions, services, logger, providers);
        apps.Add(app);
        return app;
    }

    protected int Sends() => Server.Requests().Count(r => r.Path == "/sms/v2/verify/send");

    protected int Checks() => Server.Requests().Count(r => r.Path == "/sms/v2/verify/check");

    /// <summary>Guard options with every default rule off, for tests of one rule.</summary>
    protected static void NoRules(OtpSendGuardOptions g) => GuardApp.NoRules(g);
}
