using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Amm;
using OtpClients.Tests.Amm;
using OtpClients.Tests.Infrastructure;
using WireMock.Server;

namespace OtpClients.Tests.DependencyInjection;

/// <summary>The resilience pipeline of AddOtpClient over real HTTP: what is retried, what is answered once, the circuit breaker.</summary>
public sealed class ResilienceTests
{
    private const string Phone = "+39 348 123 4567";
    private const string SendOk = "{\"verify_id\": \"v1\"}";

    private WireMockServer server = null!;
    private ServiceProvider? provider;

    /// <summary>A fresh stand-in per test: a delayed answer of one test must not land in the next test's log.</summary>
    [SetUp]
    public void Start() => server = ProviderStandIn.Start();

    [TearDown]
    public async Task DisposeProviderAsync()
    {
        server.Dispose();
        if (provider is not null)
        {
            await provider.DisposeAsync();
            provider = null;
        }
    }

    private AmmOtpClient CreateClient(Action<AmmOptions>? configure = null, CountingHandler? counter = null, Uri? baseAddress = null)
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp =>
        {
            var http = otp.UseAmm(o =>
            {
                o.BaseAddress = baseAddress ?? server.BaseAddress();
                o.AuthKey = "k";
                o.AuthSecret = "s";
                o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
                o.TotalTimeout = TimeSpan.FromSeconds(5);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
                configure?.Invoke(o);
            });
            if (counter is not null)
            {
                http.AddHttpMessageHandler(() => counter);
            }
        });
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<AmmOtpClient>();
    }

    /// <summary>
    /// How many requests reached the stand-in, once every delayed answer (1 s at most here) was written: WireMock.Net
    /// logs a request when its answer is done.
    /// </summary>
    private Task<int> SettledRequestCountAsync() => server.SettledRequestCountAsync(milliseconds: 1300);

    [Test]
    public async Task SendAsync_AnswerDelayedPastAttemptTimeout_OneRequestTimeoutMayHaveBeenAccepted()
    {
        server.Answer(Endpoints.AmmSend, Reply.Json(200, SendOk).WithDelay(TimeSpan.FromSeconds(1)));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        var settled = await SettledRequestCountAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.Timeout));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
            Assert.That(settled, Is.EqualTo(1), "a send is never repeated once written");
        });
    }

    [Test]
    public async Task VerifyAsync_AnswerDelayedPastAttemptTimeout_OneRequestTimeoutMayHaveBeenAccepted()
    {
        server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}").WithDelay(TimeSpan.FromSeconds(1)));

        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(new OtpChallenge("AMM", "v1", "+393481234567"), "1234"));

        var settled = await SettledRequestCountAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.Timeout));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
            Assert.That(settled, Is.EqualTo(1), "a verify is never repeated once written");
        });
    }

    [Test]
    public async Task SendAsync_ClosedPort_RetriedThenNetworkErrorNotAccepted()
    {
        var counter = new CountingHandler();
        var client = CreateClient(o => o.MaxRetryAttempts = 2, counter, await AmmOtpClientTests.ClosedPortAsync());

        var result = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(counter.Count, Is.EqualTo(3), "1 attempt + MaxRetryAttempts retries");
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.NetworkError));
            Assert.That(result.Error.IsTransient, Is.True);
            Assert.That(result.Error.MayHaveBeenAccepted, Is.False);
        });
    }

    [Test]
    public async Task SendAsync_503WithRetryAfterThen200_SucceedsAfterWaiting()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(503).WithHeader("Retry-After", "1"), Reply.Json(200, SendOk));
        var client = CreateClient();

        var watch = Stopwatch.StartNew();
        var result = await client.SendAsync(new OtpSendRequest(Phone));
        watch.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(server.Requests(atLeast: 2), Has.Count.EqualTo(2));
            Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950)), "Retry-After: 1 is honoured");
        });
    }

    [Test]
    public async Task Pipeline_OptionsReload_IsRebuiltWithTheNewSettings()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(429));
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Amm:BaseAddress"] = server.BaseAddress().ToString(),
                ["Amm:AuthKey"] = "k",
                ["Amm:AuthSecret"] = "s",
                ["Amm:RetryBaseDelay"] = "00:00:00.010",
                ["Amm:MaxRetryAttempts"] = "0",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddOtpClient(otp => otp.UseAmm(configuration.GetSection("Amm")));
        provider = services.BuildServiceProvider();

        var before = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));
        var requestsBefore = server.RequestCount();
        configuration["Amm:MaxRetryAttempts"] = "2";
        configuration.Reload();
        var after = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(before.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(requestsBefore, Is.EqualTo(1), "MaxRetryAttempts 0: answered once");
            Assert.That(after.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(server.RequestCount() - requestsBefore, Is.EqualTo(3), "after the reload: 1 attempt + 2 retries");
        });
    }

    [Test]
    public async Task SendAsync_429UntilRetriesRunOut_IsRateLimited()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(429));

        var result = await CreateClient(o => o.MaxRetryAttempts = 2).SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.False);
            Assert.That(server.RequestCount(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task SendAsync_RetryAfterBeyondTotalTimeout_ReturnsRateLimitedWithoutWaiting()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(429).WithHeader("Retry-After", "120"));

        // A roomy attempt timeout: the fixture's 500 ms was sometimes spent by a cold first call on a loaded machine
        // (Timeout instead of RateLimited); what is tested is that a 120 s Retry-After is not waited for.
        var watch = Stopwatch.StartNew();
        var result = await CreateClient(o => o.AttemptTimeout = TimeSpan.FromSeconds(3)).SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(result.Error.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(server.RequestCount(), Is.EqualTo(1));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)));
        });
    }

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(504)]
    public async Task SendAsync_ServerError_IsAnsweredOnce(int status)
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(status));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        var settled = await SettledRequestCountAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.MayHaveBeenAccepted, Is.True);
            Assert.That(settled, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_ConnectionDroppedAfterWrite_IsAnsweredOnce()
    {
        await using var dropping = new DroppedConnectionServer();
        var result = await CreateClient(baseAddress: dropping.BaseAddress).SendAsync(new OtpSendRequest(Phone));
        await Task.Delay(300);
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.NetworkError));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
            Assert.That(dropping.RequestCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_GarbageAfterStatus_IsAnsweredOnceUnexpectedMayHaveBeenAccepted()
    {
        server.Answer(Endpoints.AmmSend, Reply.Garbage());
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        var settled = await SettledRequestCountAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
            Assert.That(settled, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SearchAsync_ConnectionDroppedTwiceThen200_IsRetried()
    {
        await using var dropping = new DroppedConnectionServer(drops: 2, body: "{\"verify_id\": \"v1\", \"verify_status\": \"VERIFIED\"}");
        var result = await CreateClient(baseAddress: dropping.BaseAddress).SearchAsync("v1");
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(dropping.RequestCount, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task SearchAsync_ReadOnlyGetFailingTwiceThen200_Succeeds()
    {
        server.Answer(Endpoints.AmmSearch, Reply.Empty(500), Reply.Empty(502), Reply.Json(200, "{\"verify_id\": \"v1\", \"verify_status\": \"VERIFIED\"}"));

        var result = await CreateClient().SearchAsync("v1");

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(server.RequestCount(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task SearchAsync_ReadOnlyGetTimingOut_IsRetried()
    {
        server.AnswerInTurn(Endpoints.AmmSearch, (CannedAnswer.Json(200, "{}"), TimeSpan.FromSeconds(2)), (CannedAnswer.Json(200, "{\"verify_id\": \"v1\"}"), TimeSpan.Zero));
        var result = await CreateClient().SearchAsync("v1");
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True);
            Assert.That(server.Requests(atLeast: 2), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task Circuit_ConsecutiveFailuresOpenIt_ThenTrialCallClosesIt()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(500));
        var client = CreateClient(o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitBreaker.FailureRatio = 1.0;
            o.CircuitBreaker.MinimumThroughput = 3;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
        });

        for (var i = 0; i < 3; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest(Phone))).Error!.Code, Is.EqualTo(OtpErrorCode.ProviderError));
        }

        var rejected = await client.SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(rejected.Error!.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(rejected.Error.IsTransient, Is.True);
            Assert.That(rejected.Error.MayHaveBeenAccepted, Is.False, "nothing was sent");
            Assert.That(server.RequestCount(), Is.EqualTo(3), "an open circuit sends nothing");
        });

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        server.ResetMappings();
        server.Answer(Endpoints.AmmSend, Reply.Json(200, SendOk));
        var trial = await client.SendAsync(new OtpSendRequest(Phone));
        var after = await client.SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(trial.IsSuccess, Is.True, "the trial call goes through");
            Assert.That(after.IsSuccess, Is.True, "and closes the circuit");
            Assert.That(server.RequestCount(), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task Circuit_IsSharedAcrossResolvedClients()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(503));
        CreateClient(o =>
        {
            o.MaxRetryAttempts = 0;
            o.CircuitBreaker.FailureRatio = 1.0;
            o.CircuitBreaker.MinimumThroughput = 2;
        });
        await provider!.GetRequiredService<AmmOtpClient>().SendAsync(new OtpSendRequest(Phone));
        await provider!.GetRequiredService<AmmOtpClient>().SendAsync(new OtpSendRequest(Phone));

        var third = await provider!.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(third.Error!.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(server.RequestCount(), Is.EqualTo(2));
        });
    }

    [Test]
    public void SendAsync_CallerCancelsDuringRetryWait_ThrowsAndStops()
    {
        server.Answer(Endpoints.AmmSend, Reply.Empty(503).WithHeader("Retry-After", "3"));
        var client = CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.That(async () => await client.SendAsync(new OtpSendRequest(Phone), cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(server.RequestCount(), Is.EqualTo(1));
    }

    [Test]
    public async Task SendAsync_CallerCancelsDuringAttempt_ThrowsWithoutRetry()
    {
        server.Answer(Endpoints.AmmSend, Reply.Json(200, SendOk).WithDelay(TimeSpan.FromSeconds(1)));
        var client = CreateClient(o => o.AttemptTimeout = TimeSpan.FromSeconds(3));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(async () => await client.SendAsync(new OtpSendRequest(Phone), cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await SettledRequestCountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task SendAsync_RedirectToAnotherHost_IsNotFollowed()
    {
        using var target = ProviderStandIn.Start();
        server.Answer(Endpoints.AmmSend, Reply.Empty(307).WithHeader("Location", new Uri(target.BaseAddress(), "/sms/v2/verify/send").ToString()));

        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(target.RequestCount(), Is.Zero, "credentials never follow a redirect");
        });
    }
}
