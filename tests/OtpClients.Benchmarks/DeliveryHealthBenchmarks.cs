using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace OtpClients.Benchmarks;

/// <summary>
/// What delivery health adds to a verification session: <c>StartAsync</c> (one send) and <c>StartAsync</c> +
/// <c>CheckAsync</c> (a send and a verified check), with and without <c>otp.UseDeliveryHealth()</c>, with the sessions
/// and the figures in memory and on a real redis-server. The provider is a plug-in that answers at once, without HTTP,
/// so that the difference is the SDK's own work and not the network's noise.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DeliveryHealthBenchmarks
{
    private DeliveryHealthApps apps = null!;

    [GlobalSetup]
    public void Setup() => apps = DeliveryHealthApps.CreateAsync(requireRedis: true).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => apps.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "without delivery health")]
    [BenchmarkCategory("send, in memory")]
    public Task<OtpSessionStartResult> SendMemory() => apps.StartAsync(apps.Memory);

    [Benchmark(Description = "with delivery health")]
    [BenchmarkCategory("send, in memory")]
    public Task<OtpSessionStartResult> SendMemoryHealth() => apps.StartAsync(apps.MemoryHealth);

    [Benchmark(Baseline = true, Description = "without delivery health")]
    [BenchmarkCategory("send + check, in memory")]
    public Task<OtpVerifyResult> FlowMemory() => apps.FlowAsync(apps.Memory);

    [Benchmark(Description = "with delivery health")]
    [BenchmarkCategory("send + check, in memory")]
    public Task<OtpVerifyResult> FlowMemoryHealth() => apps.FlowAsync(apps.MemoryHealth);

    [Benchmark(Baseline = true, Description = "without delivery health")]
    [BenchmarkCategory("send, on Redis")]
    public Task<OtpSessionStartResult> SendRedis() => apps.StartAsync(apps.Redis!);

    [Benchmark(Description = "with delivery health")]
    [BenchmarkCategory("send, on Redis")]
    public Task<OtpSessionStartResult> SendRedisHealth() => apps.StartAsync(apps.RedisHealth!);

    [Benchmark(Baseline = true, Description = "without delivery health")]
    [BenchmarkCategory("send + check, on Redis")]
    public Task<OtpVerifyResult> FlowRedis() => apps.FlowAsync(apps.Redis!);

    [Benchmark(Description = "with delivery health")]
    [BenchmarkCategory("send + check, on Redis")]
    public Task<OtpVerifyResult> FlowRedisHealth() => apps.FlowAsync(apps.RedisHealth!);
}

/// <summary>Four apps (in memory or on Redis, with or without delivery health) over an instant plug-in provider.</summary>
public sealed class DeliveryHealthApps : IAsyncDisposable
{
    private const int Numbers = 100_000;
    private readonly string[] numbers = [.. Enumerable.Range(0, Numbers).Select(i => "+39348" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture))];
    private readonly List<ServiceProvider> providers = [];
    private RedisProcess? server;
    private IConnectionMultiplexer? connection;
    private long tick;

    private DeliveryHealthApps()
    {
    }

    public IOtpVerificationSessions Memory { get; private set; } = null!;

    public IOtpVerificationSessions MemoryHealth { get; private set; } = null!;

    public IOtpVerificationSessions? Redis { get; private set; }

    public IOtpVerificationSessions? RedisHealth { get; private set; }

    /// <summary>Builds the apps; the Redis ones only when <c>redis-server</c> is installed (required when <paramref name="requireRedis"/>).</summary>
    public static async Task<DeliveryHealthApps> CreateAsync(bool requireRedis)
    {
        var apps = new DeliveryHealthApps();
        apps.Memory = apps.Register(null, health: false);
        apps.MemoryHealth = apps.Register(null, health: true);
        if (RedisProcess.IsInstalled)
        {
            apps.server = await RedisProcess.StartAsync();
            apps.connection = await ConnectionMultiplexer.ConnectAsync(apps.server.Configuration);
            apps.Redis = apps.Register(apps.connection, health: false);
            apps.RedisHealth = apps.Register(apps.connection, health: true);
        }
        else if (requireRedis)
        {
            throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server.");
        }

        return apps;
    }

    /// <summary>Starts a session for the next number.</summary>
    public Task<OtpSessionStartResult> StartAsync(IOtpVerificationSessions sessions) => sessions.StartAsync(new OtpSendRequest(Next()));

    /// <summary>Starts a session for the next number and checks it with the right code.</summary>
    public async Task<OtpVerifyResult> FlowAsync(IOtpVerificationSessions sessions)
    {
        var started = await sessions.StartAsync(new OtpSendRequest(Next()));
        return await sessions.CheckAsync(started.VerificationId!, InstantOtpClient.Code);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        connection?.Dispose();
        server?.Dispose();
    }

    private string Next() => numbers[Interlocked.Increment(ref tick) % Numbers];

    private IOtpVerificationSessions Register(IConnectionMultiplexer? redis, bool health)
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp =>
        {
            // Two providers in a failover route, as delivery health is meant for (a route of one is never reordered).
            foreach (var name in new[] { "Instant", "InstantBackup" })
            {
                otp.AddProvider<InstantOptions, InstantOtpClient>(
                    new OtpProviderDescriptor(name, name, static (_, _) => throw new NotSupportedException()),
                    static _ => { },
                    (sp, _, _) => new InstantOtpClient(name, sp.GetRequiredService<TimeProvider>()));
            }

            otp.UseFailover("Instant", "InstantBackup");
            if (health)
            {
                otp.UseDeliveryHealth();
            }

            if (redis is not null)
            {
                services.AddSingleton(redis);
                otp.UseRedis(o => o.HashKey = "benchmark-hash-key-0123456789abcdefghij");
            }
        });
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<IOtpVerificationSessions>();
    }
}

/// <summary>The options of the instant provider (nothing of its own).</summary>
public sealed class InstantOptions() : OtpProviderOptions(new Uri("http://127.0.0.1/"))
{
    protected override string SectionName => "Instant";

    protected override void ValidateProvider(ICollection<string> errors)
    {
    }
}

/// <summary>A provider that sends and verifies at once, without HTTP: the session's and delivery health's work is all that is left.</summary>
public sealed class InstantOtpClient(string name, TimeProvider time) : IOtpClient
{
    public const string Code = "123456";

    public string ProviderName => name;

    public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default) =>
        // A short life keeps the in-memory store small when sessions are started and never checked.
        Task.FromResult(OtpSendResult.Success(new OtpChallenge(name, "c", request.PhoneNumber) { ExpiresAt = time.GetUtcNow().AddMilliseconds(200) }));

    public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(request.Code == Code ? OtpVerifyResult.Verified() : OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode));
}
