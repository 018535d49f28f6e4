using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace OtpClients.Benchmarks;

public enum Provider
{
    Amm,
    Ip1,
    NinetyNineDigital,
}

/// <summary>Both sides of a benchmark: the SDK as registered by AddOtpClient (resilience handler included) and the hand-written floor.</summary>
public sealed class Fixture : IAsyncDisposable
{
    public const string AmmPhone = "+393481234567";
    public const string Ip1Phone = "+46701234567";
    public const string NinetyNinePhone = "+972501234567";

    private Fixture(CannedServer server, ServiceProvider services, HttpClient http)
    {
        Server = server;
        Services = services;
        Http = http;
        HandWritten = new HandWritten(http, server.BaseAddress);
        Peer = new RefitPeer(services);
        Amm = services.GetRequiredKeyedService<IOtpClient>("AMM");
        Ip1 = services.GetRequiredKeyedService<IOtpClient>("iP1");
        NinetyNine = services.GetRequiredKeyedService<IOtpClient>("99digital");
    }

    public CannedServer Server { get; }

    public ServiceProvider Services { get; }

    public HttpClient Http { get; }

    public HandWritten HandWritten { get; }

    public RefitPeer Peer { get; }

    public IOtpClient Amm { get; }

    public IOtpClient Ip1 { get; }

    public IOtpClient NinetyNine { get; }

    public static readonly OtpChallenge AmmChallenge = new("AMM", "c6cf59524c65d9c65d134d1137a86336558d19ba", AmmPhone);
    public static readonly OtpChallenge Ip1Challenge = new("iP1", "42", Ip1Phone);
    public static readonly OtpChallenge NinetyNineChallenge = new("99digital", "63433453", NinetyNinePhone);

    public static async Task<Fixture> CreateAsync()
    {
        var server = await CannedServer.StartAsync();
        return new Fixture(server, BuildServices(server.BaseAddress), new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }));
    }

    public static ServiceProvider BuildServices(Uri baseAddress)
    {
        var services = new ServiceCollection();
        services.AddOtpClient("AMM", otp => otp.UseAmm(o =>
        {
            o.BaseAddress = baseAddress;
            o.AuthKey = "amm-key";
            o.AuthSecret = "amm-secret";
        }));
        services.AddOtpClient("iP1", otp => otp.UseIp1(o =>
        {
            o.BaseAddress = baseAddress;
            o.AccountId = "ip1-12345";
            o.ApiKey = "ip1-key";
        }));
        services.AddOtpClient("99digital", otp => otp.UseNinetyNineDigital(o =>
        {
            o.BaseAddress = baseAddress;
            o.ApiKey = "99-key";
            o.Sender = "Contoso";
            o.CheckPath = "/sms/verifySMS/check";
        }));
        RefitPeer.Register(services, baseAddress);
        return services.BuildServiceProvider();
    }

    public Task SdkSend(Provider provider) => provider switch
    {
        Provider.Amm => Amm.SendAsync(new OtpSendRequest(AmmPhone)),
        Provider.Ip1 => Ip1.SendAsync(new OtpSendRequest(Ip1Phone)),
        _ => NinetyNine.SendAsync(new OtpSendRequest(NinetyNinePhone)),
    };

    public Task HandWrittenSend(Provider provider) => provider switch
    {
        Provider.Amm => HandWritten.AmmSendAsync("393481234567", "Your verification code is ${verify_code}"),
        Provider.Ip1 => HandWritten.Ip1SendAsync("46701234567"),
        _ => HandWritten.NinetyNineSendAsync("Contoso", "0501234567"),
    };

    public Task PeerSend(Provider provider) => provider switch
    {
        Provider.Amm => Peer.AmmSendAsync("393481234567", "Your verification code is ${verify_code}"),
        Provider.Ip1 => Peer.Ip1SendAsync("46701234567"),
        _ => Peer.NinetyNineSendAsync("Contoso", "0501234567"),
    };

    public Task PeerVerify(Provider provider) => provider switch
    {
        Provider.Amm => Peer.AmmVerifyAsync(AmmChallenge.Id, "4506"),
        Provider.Ip1 => Peer.Ip1VerifyAsync("46701234567", "AB12C"),
        _ => Peer.NinetyNineVerifyAsync("0501234567", "123456"),
    };

    public Task SdkVerify(Provider provider) => provider switch
    {
        Provider.Amm => Amm.VerifyAsync(new OtpVerifyRequest(AmmChallenge, "4506")),
        Provider.Ip1 => Ip1.VerifyAsync(new OtpVerifyRequest(Ip1Challenge, "AB12C")),
        _ => NinetyNine.VerifyAsync(new OtpVerifyRequest(NinetyNineChallenge, "123456")),
    };

    public Task HandWrittenVerify(Provider provider) => provider switch
    {
        Provider.Amm => HandWritten.AmmVerifyAsync(AmmChallenge.Id, "4506"),
        Provider.Ip1 => HandWritten.Ip1VerifyAsync("46701234567", "AB12C"),
        _ => HandWritten.NinetyNineVerifyAsync("0501234567", "123456"),
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>One send and one verify per provider: the SDK against the hand-written floor and the plain Refit peer.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class OperationBenchmarks
{
    private Fixture fixture = null!;

    [Params(Provider.Amm, Provider.Ip1, Provider.NinetyNineDigital)]
    public Provider Provider { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => fixture = await Fixture.CreateAsync();

    [GlobalCleanup]
    public async Task CleanupAsync() => await fixture.DisposeAsync();

    [Benchmark(Baseline = true, Description = "hand-written")]
    [BenchmarkCategory("send")]
    public Task HandWrittenSend() => fixture.HandWrittenSend(Provider);

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory("send")]
    public Task SdkSend() => fixture.SdkSend(Provider);

    [Benchmark(Description = "Refit peer")]
    [BenchmarkCategory("send")]
    public Task PeerSend() => fixture.PeerSend(Provider);

    [Benchmark(Baseline = true, Description = "hand-written")]
    [BenchmarkCategory("verify")]
    public Task HandWrittenVerify() => fixture.HandWrittenVerify(Provider);

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory("verify")]
    public Task SdkVerify() => fixture.SdkVerify(Provider);

    [Benchmark(Description = "Refit peer")]
    [BenchmarkCategory("verify")]
    public Task PeerVerify() => fixture.PeerVerify(Provider);
}

/// <summary>64 concurrent callers sending at once; time and allocations per operation.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class ThroughputBenchmarks
{
    public const int Callers = 64;
    private readonly Task[] tasks = new Task[Callers];
    private Fixture fixture = null!;

    [Params(Provider.Amm, Provider.Ip1, Provider.NinetyNineDigital)]
    public Provider Provider { get; set; }

    [GlobalSetup]
    public async Task SetupAsync() => fixture = await Fixture.CreateAsync();

    [GlobalCleanup]
    public async Task CleanupAsync() => await fixture.DisposeAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = Callers, Description = "hand-written")]
    [BenchmarkCategory("send x64 concurrent")]
    public Task HandWritten()
    {
        for (var i = 0; i < Callers; i++)
        {
            tasks[i] = fixture.HandWrittenSend(Provider);
        }

        return Task.WhenAll(tasks);
    }

    [Benchmark(OperationsPerInvoke = Callers, Description = "SDK")]
    [BenchmarkCategory("send x64 concurrent")]
    public Task Sdk()
    {
        for (var i = 0; i < Callers; i++)
        {
            tasks[i] = fixture.SdkSend(Provider);
        }

        return Task.WhenAll(tasks);
    }
}

/// <summary>Cold start: build the services (or an HttpClient), make the first call on a new connection, dispose.</summary>
/// <remarks>A few invocations per iteration: each opens a new connection, and thousands would measure the OS, not the SDK.</remarks>
[MemoryDiagnoser]
[InvocationCount(4)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ColdStartBenchmarks
{
    private CannedServer server = null!;

    [GlobalSetup]
    public async Task SetupAsync() => server = await CannedServer.StartAsync();

    [GlobalCleanup]
    public async Task CleanupAsync() => await server.DisposeAsync();

    [Benchmark(Baseline = true, Description = "hand-written")]
    [BenchmarkCategory("cold start (AMM send)")]
    public async Task HandWritten()
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        await new HandWritten(http, server.BaseAddress).AmmSendAsync("393481234567", "Your verification code is ${verify_code}");
    }

    [Benchmark(Description = "SDK")]
    [BenchmarkCategory("cold start (AMM send)")]
    public async Task Sdk()
    {
        await using var services = Fixture.BuildServices(server.BaseAddress);
        await services.GetRequiredKeyedService<IOtpClient>("AMM").SendAsync(new OtpSendRequest(Fixture.AmmPhone));
    }
}
