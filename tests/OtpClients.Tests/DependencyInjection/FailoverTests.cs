using Microsoft.Extensions.DependencyInjection;
using OtpClients.Failover;
using OtpClients.Tests.Amm;
using OtpClients.Tests.Infrastructure;
using WireMock.Server;

namespace OtpClients.Tests.DependencyInjection;

/// <summary>Failover over real HTTP: AMM (primary) and iP1 (secondary) stubs, registered with UseFailover.</summary>
public sealed class FailoverTests
{
    private const string Phone = "+39 348 123 4567";
    private const string AmmOk = "{\"verify_id\": \"amm-1\"}";
    private const string Ip1Ok = "{\"ID\": 42, \"Expires\": \"2026-11-22T10:20:00Z\"}";

    private WireMockServer amm = null!;
    private WireMockServer ip1 = null!;
    private ServiceProvider? provider;

    /// <summary>Fresh stand-ins per test: a delayed answer of one test must not land in the next test's log.</summary>
    [SetUp]
    public void Start()
    {
        amm = ProviderStandIn.Start();
        ip1 = ProviderStandIn.Start();
        amm.Answer(Endpoints.AmmSend, Reply.Json(200, AmmOk));
        ip1.Answer(Endpoints.Ip1Create, Reply.Json(200, Ip1Ok));
    }

    [TearDown]
    public async Task DisposeProviderAsync()
    {
        amm.Dispose();
        ip1.Dispose();
        if (provider is not null)
        {
            await provider.DisposeAsync();
            provider = null;
        }
    }

    private IOtpClient CreateClient(Uri? ammAddress = null, Action<OtpClients.Amm.AmmOptions>? configureAmm = null)
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp =>
        {
            otp.UseAmm(o =>
            {
                o.BaseAddress = ammAddress ?? amm.BaseAddress();
                o.AuthKey = "k";
                o.AuthSecret = "s";
                o.AttemptTimeout = TimeSpan.FromSeconds(5); // generous: a cold first call on a busy machine must not time out
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                o.MaxRetryAttempts = 0;
                configureAmm?.Invoke(o);
            });
            otp.UseIp1(o =>
            {
                o.BaseAddress = ip1.BaseAddress();
                o.AccountId = "ip1-1";
                o.ApiKey = "key";
            });
            otp.UseFailover("Amm", "Ip1");
        });
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOtpClient>();
    }

    private async Task AssertSecondaryServedAsync(IOtpClient client, int ammRequests)
    {
        var sent = await client.SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True, sent.ToString());
            Assert.That(sent.Challenge!.ProviderName, Is.EqualTo("iP1"), "the challenge names the provider that sent it");
            Assert.That(amm.RequestCount(), Is.EqualTo(ammRequests));
            Assert.That(ip1.RequestCount(), Is.EqualTo(1));
        });

        ip1.Answer(Endpoints.Ip1Validate, Reply.Json(200, "{\"Valid\": true, \"Authentication\": {\"ID\": 42}}"));
        var verified = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "ABC12"));
        Assert.Multiple(() =>
        {
            Assert.That(verified.IsVerified, Is.True);
            Assert.That(ip1.Requests()[^1].Path, Is.EqualTo("/api/authentications/validate"), "verify reaches the secondary");
            Assert.That(amm.RequestCount(), Is.EqualTo(ammRequests), "verify never reaches the primary");
        });
    }

    [Test]
    public async Task SendAsync_PrimaryHealthy_PrimarySendsAndVerifies()
    {
        var client = CreateClient();
        var sent = await client.SendAsync(new OtpSendRequest(Phone));
        Assert.That(sent.IsSuccess, Is.True, sent.ToString());
        amm.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var verified = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, "1234"));
        Assert.Multiple(() =>
        {
            Assert.That(sent.Challenge!.ProviderName, Is.EqualTo("AMM"));
            Assert.That(verified.IsVerified, Is.True);
            Assert.That(ip1.RequestCount(), Is.Zero);
            Assert.That(client.ProviderName, Is.EqualTo(FailoverOtpClient.Name));
        });
    }

    [Test]
    public async Task SendAsync_PrimaryRefusesConnection_SecondarySends() =>
        await AssertSecondaryServedAsync(CreateClient(await AmmOtpClientTests.ClosedPortAsync()), ammRequests: 0);

    [Test]
    public async Task SendAsync_Primary503_SecondarySends()
    {
        amm.Answer(Endpoints.AmmSend, Reply.Empty(503));
        await AssertSecondaryServedAsync(CreateClient(), ammRequests: 1);
    }

    [Test]
    public async Task SendAsync_Primary429_SecondarySends()
    {
        amm.Answer(Endpoints.AmmSend, Reply.Empty(429));
        await AssertSecondaryServedAsync(CreateClient(), ammRequests: 1);
    }

    [Test]
    public async Task SendAsync_PrimaryCircuitOpen_SecondarySendsWithoutTouchingPrimary()
    {
        amm.Answer(Endpoints.AmmSend, Reply.Empty(503));
        var client = CreateClient(configureAmm: o =>
        {
            o.CircuitBreaker.FailureRatio = 1.0;
            o.CircuitBreaker.MinimumThroughput = 2;
        });
        await client.SendAsync(new OtpSendRequest(Phone));
        await client.SendAsync(new OtpSendRequest(Phone));
        amm.Reset();
        ip1.Reset();
        ip1.Answer(Endpoints.Ip1Create, Reply.Json(200, Ip1Ok));

        await AssertSecondaryServedAsync(client, ammRequests: 0);
    }

    [Test]
    public async Task SendAsync_PrimaryTimesOutAfterWrite_NoFailover()
    {
        amm.Answer(Endpoints.AmmSend, Reply.Json(200, AmmOk).WithDelay(TimeSpan.FromSeconds(2)));

        var result = await CreateClient(configureAmm: o => o.AttemptTimeout = TimeSpan.FromMilliseconds(400)).SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.Timeout));
            Assert.That(result.Error.MayHaveBeenAccepted, Is.True);
            Assert.That(ip1.RequestCount(), Is.Zero, "a second provider must not text a second code");
        });
    }

    [TestCase(500, "")]
    [TestCase(400, "{\"errorMsg\": \"ANTISPAM\", \"errorCode\": 400}")]
    [TestCase(400, "{\"errorMsg\": \"BAD_TO\", \"errorCode\": 400}")]
    [TestCase(429, "{\"errorMsg\": \"ANTISPAM\", \"errorCode\": 429}")]
    public async Task SendAsync_PrimaryFailsInAWayThatMustNotFailOver_ReturnsPrimaryError(int status, string body)
    {
        amm.Answer(Endpoints.AmmSend, Reply.Text(status, body, "application/json"));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(ip1.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_InvalidPhoneNumber_NoFailoverNoRequest()
    {
        var result = await CreateClient().SendAsync(new OtpSendRequest("348 123"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidPhoneNumber));
            Assert.That(amm.RequestCount() + ip1.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_BothUnavailable_ReturnsLastErrorWithEveryMessage()
    {
        amm.Answer(Endpoints.AmmSend, Reply.Empty(503));
        ip1.Answer(Endpoints.Ip1Create, Reply.Empty(503));
        var result = await CreateClient().SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(result.Error.Message, Does.Contain("AMM: ").And.Contain("iP1: "));
        });
    }

    [Test]
    public async Task SendAsync_NinetyNineDigitalAskedForCodeLength_NotSupportedMovesToNext()
    {
        var services = new ServiceCollection();
        services.AddOtpClient(otp =>
        {
            otp.UseNinetyNineDigital(o =>
            {
                o.BaseAddress = ip1.BaseAddress();
                o.ApiKey = "key";
                o.Sender = "Contoso";
            });
            otp.UseAmm(o =>
            {
                o.BaseAddress = amm.BaseAddress();
                o.AuthKey = "k";
                o.AuthSecret = "s";
            });
            otp.UseFailover("99digital", "AMM");
        });
        provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest("+972 50 123 4567") { CodeLength = 6 });

        Assert.Multiple(() =>
        {
            Assert.That(result.Challenge!.ProviderName, Is.EqualTo("AMM"));
            Assert.That(amm.SingleRequest().FormFields()["code_len"], Is.EqualTo("6"));
            Assert.That(ip1.RequestCount(), Is.Zero, "99digital refused before any HTTP call");
        });
    }

    [Test]
    public async Task VerifyAsync_ChallengeOfUnknownProvider_FailsWithoutHttp()
    {
        var result = await CreateClient().VerifyAsync(new OtpVerifyRequest(new OtpChallenge("99digital", "1", "+972501234567"), "1234"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(result.IsVerified, Is.False);
            Assert.That(amm.RequestCount() + ip1.RequestCount(), Is.Zero);
        });
    }

    [TestCase(OtpErrorCode.NotSupported, false, false, null, true)]
    [TestCase(OtpErrorCode.ProviderUnavailable, true, false, 503, true)]
    [TestCase(OtpErrorCode.NetworkError, true, false, null, true)]
    [TestCase(OtpErrorCode.NetworkError, true, true, null, false)]
    [TestCase(OtpErrorCode.RateLimited, true, false, 429, true)]
    [TestCase(OtpErrorCode.RateLimited, true, false, 400, false)]
    [TestCase(OtpErrorCode.Timeout, true, true, null, false)]
    [TestCase(OtpErrorCode.ProviderError, true, true, 500, false)]
    [TestCase(OtpErrorCode.ProviderError, true, false, 200, true)]
    [TestCase(OtpErrorCode.InvalidPhoneNumber, false, false, 400, false)]
    [TestCase(OtpErrorCode.Unauthorized, false, false, 401, true)]
    [TestCase(OtpErrorCode.InsufficientCredit, false, false, 402, true)]
    [TestCase(OtpErrorCode.UnexpectedResponse, false, true, 200, false)]
    public void ShouldFailOver_Table(OtpErrorCode code, bool transient, bool accepted, int? status, bool expected) =>
        Assert.That(FailoverOtpClient.ShouldFailOver(new OtpError(code, "x") { IsTransient = transient, MayHaveBeenAccepted = accepted, HttpStatusCode = status }), Is.EqualTo(expected));

    [Test]
    public void Constructor_BadProviderLists_Throw()
    {
        var fake = new OtpClients.Amm.AmmOtpClient(new HttpClient(), new OtpClients.Amm.AmmOptions { AuthKey = "k", AuthSecret = "s" });
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => new FailoverOtpClient([]));
            Assert.Throws<ArgumentException>(() => new FailoverOtpClient([fake, fake]));
            Assert.Throws<ArgumentNullException>(() => new FailoverOtpClient(null!));
        });
    }
}
