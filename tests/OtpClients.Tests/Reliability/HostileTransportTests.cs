using Microsoft.Extensions.DependencyInjection;
using OtpClients.Amm;
using OtpClients.Ip1;
using OtpClients.NinetyNineDigital;
using OtpClients.Tests.Infrastructure;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OtpClients.Tests.Reliability;

/// <summary>
/// A hostile provider on the transport: redirects to another host (the app's own <see cref="HttpClient"/> follows
/// them), stalls, per-recipient limits sent as 429, and cancellation after the request went out.
/// </summary>
public sealed class HostileTransportTests
{
    private const string Israeli = "+972501234567";
    private const string Italian = "+393481234567";
    private const string Swedish = "+46701234567";

    private WireMockServer provider = null!;
    private WireMockServer other = null!;
    private HttpClient followsRedirects = null!;
    private ServiceProvider? services;

    [SetUp]
    public void Start()
    {
        provider = ProviderStandIn.Start();
        other = ProviderStandIn.Start();

        // What the README shows: new HttpClient(), which follows redirects.
        followsRedirects = new HttpClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        provider.Dispose();
        other.Dispose();
        followsRedirects.Dispose();
        if (services is not null)
        {
            await services.DisposeAsync();
        }
    }

    private static IResponseBuilder Redirect(int status, Uri to) => Response.Create().WithStatusCode(status).WithHeader("Location", to.ToString());

    [TestCase(301)]
    [TestCase(302)]
    [TestCase(303)]
    public async Task AmmVerify_RedirectToAHostThatSaysVerified_IsRefused(int status)
    {
        provider.Answer(Endpoints.AmmCheck, Redirect(status, new Uri(other.BaseAddress(), "sms/v2/verify/check?verify_id=v1&verify_code=1")));
        other.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var client = new AmmOtpClient(followsRedirects, new AmmOptions { BaseAddress = provider.BaseAddress(), AuthKey = "k", AuthSecret = "s" });

        var result = await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge(OtpProviderNames.Amm, "v1", Italian), "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False, "an answer from another host is never trusted");
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(result.Error.Message, Does.Contain("redirect"));
        });
    }

    [TestCase(301)]
    [TestCase(302)]
    public async Task Ip1Verify_RedirectToAHostThatSaysValid_IsRefused(int status)
    {
        provider.Answer(Endpoints.Ip1Validate, Redirect(status, new Uri(other.BaseAddress(), "api/authentications/validate")));
        other.Answer(Request(), Reply.Json(200, "{\"Valid\": true, \"Authentication\": {\"ID\": 42}}"));
        var client = new Ip1OtpClient(followsRedirects, new Ip1Options { BaseAddress = provider.BaseAddress(), AccountId = "ip1-1", ApiKey = "key" });

        var result = await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge(OtpProviderNames.Ip1, "42", Swedish), "AB12C"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
        });
    }

    [TestCase(307)]
    [TestCase(308)]
    public async Task Ip1Verify_RepostRedirect_NeverSendsTheCodeToTheOtherHost(int status)
    {
        await using var elsewhere = new FixedAnswerServer(200, "{\"Valid\": true, \"Authentication\": {\"ID\": 42}}");
        provider.Answer(Endpoints.Ip1Validate, Redirect(status, new Uri(elsewhere.BaseAddress, "api/authentications/validate")));
        var client = new Ip1OtpClient(followsRedirects, new Ip1Options { BaseAddress = provider.BaseAddress(), AccountId = "ip1-1", ApiKey = "secret-key" });

        var result = await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge(OtpProviderNames.Ip1, "42", Swedish), "AB12C"));
        await Task.Delay(200);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(elsewhere.Received, Does.Not.Contain("AB12C"), "the code is never re-posted");
            Assert.That(elsewhere.Received, Does.Not.Contain(Convert.ToBase64String("ip1-1:secret-key"u8.ToArray())), "the credentials never follow a redirect");
            Assert.That(elsewhere.RequestCount, Is.Zero, "no whole request reached the other host");
        });
    }

    [TestCase(307, "send")]
    [TestCase(308, "send")]
    [TestCase(307, "check")]
    [TestCase(308, "check")]
    public async Task NinetyNineDigital_RepostRedirect_NeverSendsTheKeyPhoneOrCodeToTheOtherHost(int status, string operation)
    {
        await using var elsewhere = new FixedAnswerServer(200, "{\"status\": 1}");
        provider.Answer(Endpoints.NinetyNineDigital(), Redirect(status, new Uri(elsewhere.BaseAddress, "sms/verifySMS")));
        var client = new NinetyNineDigitalOtpClient(followsRedirects, new NinetyNineDigitalOptions { BaseAddress = provider.BaseAddress(), ApiKey = "99-secret-key", Sender = "Contoso" });

        var error = operation == "send"
            ? (await client.SendAsync(new OtpSendRequest(Israeli))).Error
            : (await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge(OtpProviderNames.NinetyNineDigital, "1", Israeli), "918273"))).Error;
        await Task.Delay(200);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
            Assert.That(elsewhere.Received, Does.Not.Contain("99-secret-key"));
            Assert.That(elsewhere.Received, Does.Not.Contain("0501234567"));
            Assert.That(elsewhere.Received, Does.Not.Contain("918273"));
            Assert.That(provider.RequestCount(), Is.EqualTo(1), "sent once to the provider, and nowhere else");
        });
    }

    [Test]
    public async Task AddOtpClient_AppPrimaryHandlerFollowsRedirects_AnswerStillRefused()
    {
        provider.Answer(Endpoints.AmmCheck, Redirect(302, new Uri(other.BaseAddress(), "sms/v2/verify/check")));
        other.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var collection = new ServiceCollection();
        collection.AddOtpClient(otp => otp.UseAmm(o =>
            {
                o.BaseAddress = provider.BaseAddress();
                o.AuthKey = "k";
                o.AuthSecret = "s";
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true }));
        services = collection.BuildServiceProvider();

        var result = await services.GetRequiredService<IOtpClient>().VerifyAsync(new OtpVerifyRequest(new OtpChallenge(OtpProviderNames.Amm, "v1", Italian), "1234"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
        });
    }

    [Test]
    public async Task AppHttpClientWithProviderBaseAddress_StillGuarded()
    {
        provider.Answer(Endpoints.AmmCheck, Redirect(302, new Uri(other.BaseAddress(), "sms/v2/verify/check")));
        other.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        using var http = new HttpClient { BaseAddress = provider.BaseAddress() };
        var client = new AmmOtpClient(http, new AmmOptions { BaseAddress = provider.BaseAddress(), AuthKey = "k", AuthSecret = "s" });

        var result = await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge(OtpProviderNames.Amm, "v1", Italian), "1234"));

        Assert.That(result.IsVerified, Is.False, "a base address equal to the provider's does not skip the guard");
    }

    [Test]
    public async Task AppHttpClient_HeadersStall_BoundedByAttemptTimeout()
    {
        await using var silent = new SilentServer();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new AmmOtpClient(http, new AmmOptions { BaseAddress = silent.BaseAddress, AuthKey = "k", AuthSecret = "s", AttemptTimeout = TimeSpan.FromMilliseconds(300) });

        // Without the bound this would wait forever: a result at all proves the attempt timeout applied.
        var result = await client.SendAsync(new OtpSendRequest(Italian)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.Timeout));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True, "the request was written: the SMS may go out");
            Assert.That(silent.RequestCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_CancelledAfterTheRequestWasRead_MayHaveBeenAccepted()
    {
        await using var silent = new SilentServer();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new AmmOtpClient(http, new AmmOptions { BaseAddress = silent.BaseAddress, AuthKey = "k", AuthSecret = "s", AttemptTimeout = TimeSpan.FromSeconds(30) });
        using var cts = new CancellationTokenSource();

        var sending = client.SendAsync(new OtpSendRequest(Italian), cts.Token);
        await silent.RequestRead.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        var ex = Assert.CatchAsync<OperationCanceledException>(() => sending);
        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.InstanceOf<OtpOperationCanceledException>());
            Assert.That(((OtpOperationCanceledException)ex!).MayHaveBeenAccepted, Is.True, "the provider has the request");
            Assert.That(ex.CancellationToken, Is.EqualTo(cts.Token));
            Assert.That(ex.Message, Does.Not.Contain("348"));
        });
    }

    [Test]
    public async Task SendAsync_CancelledAfterTheRequestWasRead_WithDi_MayHaveBeenAccepted()
    {
        await using var silent = new SilentServer();
        var collection = new ServiceCollection();
        collection.AddOtpClient(otp => otp.UseAmm(o =>
        {
            o.BaseAddress = silent.BaseAddress;
            o.AuthKey = "k";
            o.AuthSecret = "s";
            o.AttemptTimeout = TimeSpan.FromSeconds(30);
            o.TotalTimeout = TimeSpan.FromSeconds(60);
        }));
        services = collection.BuildServiceProvider();
        using var cts = new CancellationTokenSource();

        var sending = services.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Italian), cts.Token);
        await silent.RequestRead.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        var ex = Assert.CatchAsync<OperationCanceledException>(() => sending);
        Assert.That(ex, Is.InstanceOf<OtpOperationCanceledException>().With.Property(nameof(OtpOperationCanceledException.MayHaveBeenAccepted)).True);
    }

    [Test]
    public async Task SendAsync_CancelledBeforeTheCall_NotAccepted()
    {
        var client = new AmmOtpClient(followsRedirects, new AmmOptions { BaseAddress = provider.BaseAddress(), AuthKey = "k", AuthSecret = "s" });
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ex = Assert.CatchAsync<OperationCanceledException>(() => client.SendAsync(new OtpSendRequest(Italian), cts.Token));

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.InstanceOf<OtpOperationCanceledException>());
            Assert.That(((OtpOperationCanceledException)ex!).MayHaveBeenAccepted, Is.False);
            Assert.That(provider.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task ReadOnlyCall_Cancelled_NeverMayHaveBeenAccepted()
    {
        await using var silent = new SilentServer();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = new Ip1OtpClient(http, new Ip1Options { BaseAddress = silent.BaseAddress, AccountId = "ip1-1", ApiKey = "key", AttemptTimeout = TimeSpan.FromSeconds(30) });
        using var cts = new CancellationTokenSource();

        var reading = client.GetAuthenticationAsync(42, cts.Token);
        await silent.RequestRead.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();

        var ex = Assert.CatchAsync<OperationCanceledException>(() => reading);
        Assert.That(ex, Is.InstanceOf<OtpOperationCanceledException>().With.Property(nameof(OtpOperationCanceledException.MayHaveBeenAccepted)).False);
    }

    [TestCase(429)]
    [TestCase(503)]
    public async Task AmmSend_AntispamAsRetryableStatus_SentOnceNeverRetriedNeverFailedOver(int status)
    {
        provider.Answer(Endpoints.AmmSend, Reply.Json(status, "{\"errorMsg\": \"ANTISPAM\", \"errorCode\": " + status + "}"));
        other.Answer(Endpoints.Ip1Create, Reply.Json(200, "{\"ID\": 42}"));
        var client = CreateFailover(maxRetries: 3);

        var result = await client.SendAsync(new OtpSendRequest(Italian));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(result.Error.IsRecipientLimit, Is.True);
            Assert.That(provider.RequestCount(), Is.EqualTo(1), "a per-recipient limit is never retried");
            Assert.That(other.RequestCount(), Is.Zero, "nor sent through another provider: the person would get a second SMS");
        });
    }

    [Test]
    public async Task AmmSend_Plain429_IsRetriedThenFailsOver()
    {
        provider.Answer(Endpoints.AmmSend, Reply.Json(429, "{\"errorMsg\": \"TOO_MANY_REQUESTS\"}"));
        other.Answer(Endpoints.Ip1Create, Reply.Json(200, "{\"ID\": 42}"));
        var client = CreateFailover(maxRetries: 2);

        var result = await client.SendAsync(new OtpSendRequest(Italian));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True, result.ToString());
            Assert.That(provider.RequestCount(), Is.EqualTo(3), "an account throttle said 'not processed': retried");
            Assert.That(other.RequestCount(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Ip1Send_ConcurrentLimitAs429_SentOnceNeverRetried()
    {
        other.Answer(Endpoints.Ip1Create, Reply.Json(429, "{\"Message\": \"ConcurrentLimit exceeded for phone\"}"));
        var collection = new ServiceCollection();
        collection.AddOtpClient(otp => otp.UseIp1(o =>
        {
            o.BaseAddress = other.BaseAddress();
            o.AccountId = "ip1-1";
            o.ApiKey = "key";
            o.MaxRetryAttempts = 3;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        }));
        services = collection.BuildServiceProvider();

        var result = await services.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Swedish));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.IsRecipientLimit, Is.True);
            Assert.That(other.RequestCount(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AmmSend_RepeatedAntispam_DoesNotOpenTheCircuitForEveryone()
    {
        provider.Answer(Endpoints.AmmSend, Reply.Json(429, "{\"errorMsg\": \"ANTISPAM\"}"));
        var client = CreateFailover(maxRetries: 0, configure: o =>
        {
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 0.5;
        });
        for (var i = 0; i < 6; i++)
        {
            await client.SendAsync(new OtpSendRequest(Italian));
        }

        provider.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"v9\"}"));
        var result = await client.SendAsync(new OtpSendRequest("+393480000000"));

        Assert.That(result.IsSuccess, Is.True, "one bot hammering one number must not take the provider away from everyone: " + result);
    }

    private IOtpClient CreateFailover(int maxRetries, Action<AmmOptions>? configure = null)
    {
        var collection = new ServiceCollection();
        collection.AddOtpClient(otp =>
        {
            otp.UseAmm(o =>
            {
                o.BaseAddress = provider.BaseAddress();
                o.AuthKey = "k";
                o.AuthSecret = "s";
                o.MaxRetryAttempts = maxRetries;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                configure?.Invoke(o);
            });
            otp.UseIp1(o =>
            {
                o.BaseAddress = other.BaseAddress();
                o.AccountId = "ip1-1";
                o.ApiKey = "key";
            });
            otp.UseFailover("Amm", "Ip1");
        });
        services = collection.BuildServiceProvider();
        return services.GetRequiredService<IOtpClient>();
    }

    private static WireMock.RequestBuilders.IRequestBuilder Request() => WireMock.RequestBuilders.Request.Create().UsingAnyMethod();
}
