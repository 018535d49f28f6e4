using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Guard;
using StackExchange.Redis;

namespace OtpClients.Benchmarks;

/// <summary>
/// One send-guard check, as the guard makes it before a send with the default rules on (cooldown, per-number budget,
/// per-IP budget, regions per IP; and for an IPv6 client the /56 and /48 budgets): in memory, and in a real redis-server (one Lua script) next to a bare PING on the
/// same connection. Numbers and IPs rotate and the check's clock advances, so every check is allowed and counted, as
/// in an app's steady state.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GuardBenchmarks
{
    public const int Callers = 64;

    private readonly Task[] tasks = new Task[Callers];
    private GuardChecks checks = null!;

    [GlobalSetup]
    public void Setup() =>
        // Synchronous on purpose: the in-process toolchain does not wait for an asynchronous set-up that truly yields.
        checks = GuardChecks.CreateAsync(requireRedis: true).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => checks.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "in memory")]
    [BenchmarkCategory("guard check")]
    public OtpGuardDecision InMemory()
    {
        // The in-memory store completes synchronously; reading the ValueTask here measures the check, not an awaiter.
        var check = checks.InMemoryAsync();
        return check.IsCompletedSuccessfully ? check.Result : check.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Redis PING")]
    [BenchmarkCategory("guard check on Redis")]
    public Task<TimeSpan> Ping() => checks.PingAsync();

    [Benchmark(Description = "Redis check")]
    [BenchmarkCategory("guard check on Redis")]
    public Task<OtpGuardDecision> Redis() => checks.RedisAsync().AsTask();

    [Benchmark(Description = "RedisRateLimiting sliding window, one rule")]
    [BenchmarkCategory("guard check on Redis")]
    public ValueTask<System.Threading.RateLimiting.RateLimitLease> SlidingWindow() => checks.SlidingWindowAsync();

    [Benchmark(Description = "RedisRateLimiting sliding window, four rules (four round trips)")]
    [BenchmarkCategory("guard check on Redis")]
    public async Task SlidingWindowFourRules()
    {
        // The guard's four IPv4 counters as four RedisRateLimiting windows, one after the other (each its own script).
        for (var i = 0; i < 4; i++)
        {
            using var lease = await checks.SlidingWindowAsync();
        }
    }

    [Benchmark(Description = "Redis check, IPv6 client (+/56, +/48)")]
    [BenchmarkCategory("guard check on Redis")]
    public Task<OtpGuardDecision> RedisIpv6() => checks.RedisIpv6Async().AsTask();

    [Benchmark(Baseline = true, OperationsPerInvoke = Callers, Description = "Redis PING")]
    [BenchmarkCategory("guard check on Redis x64 concurrent")]
    public Task PingConcurrent()
    {
        for (var i = 0; i < Callers; i++)
        {
            tasks[i] = checks.PingAsync();
        }

        return Task.WhenAll(tasks);
    }

    [Benchmark(OperationsPerInvoke = Callers, Description = "Redis check")]
    [BenchmarkCategory("guard check on Redis x64 concurrent")]
    public Task RedisConcurrent()
    {
        for (var i = 0; i < Callers; i++)
        {
            tasks[i] = checks.RedisAsync().AsTask();
        }

        return Task.WhenAll(tasks);
    }
}

/// <summary>The stores as <c>AddOtpClient(… UseSendGuard … UseRedis …)</c> registers them, and the checks the benchmarks make.</summary>
public sealed class GuardChecks : IAsyncDisposable
{
    private const int Numbers = 100_000;
    private const int Ips = 4096;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly string[] numbers;
    private readonly string[] ips;
    private readonly ServiceProvider memory;
    private readonly ServiceProvider? redis;
    private long memoryTick;
    private long redisTick;

    private GuardChecks(ServiceProvider memory, ServiceProvider? redis, RedisProcess? server, IConnectionMultiplexer? connection)
    {
        this.memory = memory;
        this.redis = redis;
        Server = server;
        Connection = connection;
        MemoryStore = memory.GetRequiredService<IOtpGuardStore>();
        RedisStore = redis?.GetRequiredService<IOtpGuardStore>();
        numbers = [.. Enumerable.Range(0, Numbers).Select(i => "+39348" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture))];
        ips = [.. Enumerable.Range(0, Ips).Select(i => $"198.51.{i / 256}.{i % 256}")];
    }

    public IOtpGuardStore MemoryStore { get; }

    public IOtpGuardStore? RedisStore { get; }

    public RedisProcess? Server { get; }

    public IConnectionMultiplexer? Connection { get; }

    /// <summary>Builds the stores; Redis only when <c>redis-server</c> is installed (required when <paramref name="requireRedis"/>).</summary>
    public static async Task<GuardChecks> CreateAsync(bool requireRedis)
    {
        var memory = Register(null);
        var server = RedisProcess.IsInstalled ? await RedisProcess.StartAsync() : requireRedis
            ? throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server.")
            : null;
        if (server is null)
        {
            return new GuardChecks(memory, null, null, null);
        }

        var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true");
        return new GuardChecks(memory, Register(connection), server, connection);
    }

    public ValueTask<OtpGuardDecision> InMemoryAsync() => MemoryStore.TryAcquireAsync(Request(ref memoryTick));

    public ValueTask<OtpGuardDecision> RedisAsync() => RedisStore!.TryAcquireAsync(Request(ref redisTick));

    /// <summary>A check for an IPv6 client: the default rules plus the nested /56 and /48 budgets, six counters.</summary>
    public ValueTask<OtpGuardDecision> RedisIpv6Async()
    {
        var request = Request(ref redisTick);
        var site = (redisTick % Ips).ToString("x4", CultureInfo.InvariantCulture);
        return RedisStore!.TryAcquireAsync(request with
        {
            Counters = [.. request.Counters, new(OtpGuardRules.Ipv6Prefix56, $"/ip56:2001:db8:{site}:ab00::/56", 20, TimeSpan.FromHours(1)), new(OtpGuardRules.Ipv6Prefix48, $"/ip48:2001:db8:{site}::/48", 30, TimeSpan.FromHours(1))],
        });
    }

    public Task<TimeSpan> PingAsync() => Connection!.GetDatabase().PingAsync();

    private RedisRateLimiting.RedisSlidingWindowRateLimiter<string>[]? windows;
    private long windowTick;

    /// <summary>
    /// One permit from RedisRateLimiting's sliding window (its Lua script on the same redis-server and connection): the
    /// reference the guard's one-script check is compared with. Partitions rotate, as the guard's numbers do, so no
    /// window grows without bound and every permit is granted.
    /// </summary>
    public ValueTask<System.Threading.RateLimiting.RateLimitLease> SlidingWindowAsync()
    {
        windows ??= [.. Enumerable.Range(0, 4096).Select(i => new RedisRateLimiting.RedisSlidingWindowRateLimiter<string>(
            "bench-" + i.ToString(CultureInfo.InvariantCulture),
            new RedisRateLimiting.RedisSlidingWindowRateLimiterOptions { ConnectionMultiplexerFactory = () => Connection!, PermitLimit = 1_000_000, Window = TimeSpan.FromSeconds(10) }))];
        return windows[(int)(Interlocked.Increment(ref windowTick) % windows.Length)].AcquireAsync(1);
    }

    /// <summary>Counts the commands Redis received for <paramref name="checks"/> guard checks: the round trips per check.</summary>
    public async Task<double> RoundTripsPerCheckAsync(int checks)
    {
        var server = Connection!.GetServer(Connection.GetEndPoints()[0]);
        await RedisAsync(); // the first check loads the script: a one-off, not per check
        var before = await TopLevelCallsAsync(server);
        for (var i = 0; i < checks; i++)
        {
            var decision = await RedisAsync();
            if (!decision.IsAllowed)
            {
                throw new InvalidOperationException($"The benchmark's check was refused by {decision.RefusedBy}.");
            }
        }

        var after = await TopLevelCallsAsync(server);
        return (after - before - 1) / (double)checks; // less the INFO that read "before"
    }

    public async ValueTask DisposeAsync()
    {
        await memory.DisposeAsync();
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        Connection?.Dispose();
        Server?.Dispose();
    }

    /// <summary>Sums the calls of the commands a client sends (scripts and everything else), not the commands scripts run inside Redis.</summary>
    private static async Task<long> TopLevelCallsAsync(IServer server)
    {
        var stats = await server.InfoAsync("commandstats");
        long calls = 0;
        foreach (var entry in stats.SelectMany(g => g))
        {
            // cmdstat_<name>: calls=N,usec=…; commands a script runs are counted too, so count only what a client sends.
            var name = entry.Key["cmdstat_".Length..];
            if (name is "eval" or "evalsha" or "script|load" or "script" or "ping" or "info" or "client|setinfo" or "client|setname" or "subscribe" or "echo" or "config|get" or "cluster|nodes" or "hello" or "select")
            {
                calls += long.Parse(entry.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }

    private static ServiceProvider Register(IConnectionMultiplexer? connection)
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp =>
        {
            otp.UseAmm(o =>
            {
                o.AuthKey = "k";
                o.AuthSecret = "s";
            });
            otp.UseSendGuard();
            if (connection is not null)
            {
                services.AddSingleton(connection);
                otp.UseRedis(o => o.HashKey = "benchmark-hash-key-0123456789abcdefghij");
            }
        });
        return services.BuildServiceProvider();
    }

    /// <summary>The counters the guard builds for a send with the default rules, for the next number and IP.</summary>
    private OtpGuardRequest Request(ref long tick)
    {
        var i = Interlocked.Increment(ref tick);
        var number = numbers[i % Numbers];
        var ip = ips[i % Ips];
        return new OtpGuardRequest(Start + (Step * i),
        [
            new(OtpGuardRules.Cooldown, "/cooldown:" + number, 1, TimeSpan.FromSeconds(30)),
            new(OtpGuardRules.Number, "/number:" + number, 5, TimeSpan.FromHours(1)),
            new(OtpGuardRules.Ip, "/ip:" + ip, 10, TimeSpan.FromHours(1)),
            new(OtpGuardRules.RegionsPerIp, "/regions:" + ip, 3, TimeSpan.FromHours(24), "IT"),
        ]);
    }
}

/// <summary>A throwaway <c>redis-server</c> (the Debian package) on a free loopback port, without persistence.</summary>
public sealed class RedisProcess : IDisposable
{
    private readonly Process process;
    private readonly string directory;

    private RedisProcess(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Configuration = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose(); // a run stopped early leaves no server behind
    }

    public static bool IsInstalled => Executable() is not null;

    public string Configuration { get; }

    public static async Task<RedisProcess> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var directory = Directory.CreateTempSubdirectory("otp-bench-redis-").FullName;
        var info = new ProcessStartInfo(Executable()!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", directory })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new RedisProcess(process, directory, port);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new TimeoutException("redis-server did not listen within 10 s.");
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            return; // disposed already
        }

        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
}
