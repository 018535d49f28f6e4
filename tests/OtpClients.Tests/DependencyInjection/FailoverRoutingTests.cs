using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OtpClients.Failover;
using OtpClients.Tests.Infrastructure;
using WireMock.Server;

namespace OtpClients.Tests.DependencyInjection;

/// <summary>Routing by country and failover that serves the user, over three loopback stand-ins (99digital, AMM, iP1).</summary>
public sealed class FailoverRoutingTests
{
    private const string Israeli = "+972 50-123-4567";
    private const string Italian = "+39 348 123 4567";
    private const string NinetyNineOk = "{\"status\": \"OK\", \"unique\": \"63433453\", \"timestamp\": 1600115719, \"from\": \"Contoso\", \"reason\": 1}";

    private WireMockServer digital = null!;
    private WireMockServer amm = null!;
    private WireMockServer ip1 = null!;
    private ServiceProvider? provider;
    private FakeLoggerProvider logs = null!;

    [SetUp]
    public void Start()
    {
        digital = ProviderStandIn.Start();
        amm = ProviderStandIn.Start();
        ip1 = ProviderStandIn.Start();
        digital.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, NinetyNineOk));
        amm.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"amm-1\"}"));
        ip1.Answer(Endpoints.Ip1Create, Reply.Json(200, "{\"ID\": 42}"));
        logs = new FakeLoggerProvider();
    }

    [TearDown]
    public async Task StopAsync()
    {
        digital.Dispose();
        amm.Dispose();
        ip1.Dispose();
        logs.Dispose();
        if (provider is not null)
        {
            await provider.DisposeAsync();
            provider = null;
        }
    }

    private void AddProviders(OtpClientBuilder otp)
    {
        otp.UseNinetyNineDigital(o =>
        {
            o.BaseAddress = digital.BaseAddress();
            o.ApiKey = "99-key";
            o.Sender = "Contoso";
        });
        otp.UseAmm(o =>
        {
            o.BaseAddress = amm.BaseAddress();
            o.AuthKey = "k";
            o.AuthSecret = "s";
        });
        otp.UseIp1(o =>
        {
            o.BaseAddress = ip1.BaseAddress();
            o.AccountId = "ip1-1";
            o.ApiKey = "key";
        });
    }

    private IOtpClient Create(Action<OtpClientBuilder> routes)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddOtpClient(otp =>
        {
            AddProviders(otp);
            routes(otp);
        });
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOtpClient>();
    }

    private IOtpClient CreateFromConfiguration(params (string Key, string Value)[] routes)
    {
        var values = new Dictionary<string, string?>
        {
            ["Otp:NinetyNineDigital:BaseAddress"] = digital.BaseAddress().ToString(),
            ["Otp:NinetyNineDigital:ApiKey"] = "99-key",
            ["Otp:NinetyNineDigital:Sender"] = "Contoso",
            ["Otp:Amm:BaseAddress"] = amm.BaseAddress().ToString(),
            ["Otp:Amm:AuthKey"] = "k",
            ["Otp:Amm:AuthSecret"] = "s",
            ["Otp:Ip1:BaseAddress"] = ip1.BaseAddress().ToString(),
            ["Otp:Ip1:AccountId"] = "ip1-1",
            ["Otp:Ip1:ApiKey"] = "key",
        };
        foreach (var (key, value) in routes)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddOtpClient(configuration.GetSection("Otp"));
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOtpClient>();
    }

    private static readonly (string, string)[] DocumentedRoutes =
    [
        ("Otp:Routes:IL:0", "NinetyNineDigital"),
        ("Otp:Routes:IL:1", "Amm"),
        ("Otp:Routes:*:0", "Amm"),
        ("Otp:Routes:*:1", "Ip1"),
    ];

    public static IEnumerable<TestCaseData> BothWays()
    {
        yield return new TestCaseData("code").SetArgDisplayNames("from code");
        yield return new TestCaseData("configuration").SetArgDisplayNames("from appsettings");
    }

    private IOtpClient CreateDocumented(string how) => how == "code"
        ? Create(otp =>
        {
            otp.Route("IL", "NinetyNineDigital", "Amm");
            otp.UseFailover("Amm", "Ip1");
        })
        : CreateFromConfiguration(DocumentedRoutes);

    [TestCaseSource(nameof(BothWays))]
    public async Task SendAsync_IsraeliNumber_GoesTo99digital(string how)
    {
        var client = CreateDocumented(how);
        var result = await client.SendAsync(new OtpSendRequest(Israeli));
        Assert.Multiple(() =>
        {
            Assert.That(result.Challenge!.ProviderName, Is.EqualTo(OtpProviderNames.NinetyNineDigital));
            Assert.That((digital.RequestCount(), amm.RequestCount(), ip1.RequestCount()), Is.EqualTo((1, 0, 0)));
        });
    }

    [TestCaseSource(nameof(BothWays))]
    public async Task SendAsync_ItalianNumber_TakesTheDefaultRoute(string how)
    {
        var client = CreateDocumented(how);
        var result = await client.SendAsync(new OtpSendRequest(Italian));
        Assert.Multiple(() =>
        {
            Assert.That(result.Challenge!.ProviderName, Is.EqualTo(OtpProviderNames.Amm));
            Assert.That((digital.RequestCount(), amm.RequestCount(), ip1.RequestCount()), Is.EqualTo((0, 1, 0)));
        });
    }

    [TestCaseSource(nameof(BothWays))]
    public async Task SendAsync_99digitalWrongKey_MovesOnToAmmAndLogsOneError(string how)
    {
        digital.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, "{\"status\": \"FAIL\", \"reason\": 6}"));
        var client = how == "code" ? CreateDocumented("code") : CreateFromConfiguration(DocumentedRoutes);
        var result = await client.SendAsync(new OtpSendRequest(Israeli));
        var errors = logs.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Error).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Challenge!.ProviderName, Is.EqualTo(OtpProviderNames.Amm), result.ToString());
            Assert.That((digital.RequestCount(), amm.RequestCount(), ip1.RequestCount()), Is.EqualTo((1, 1, 0)));
            if (how == "code")
            {
                Assert.That(errors, Has.Count.EqualTo(1));
                Assert.That(errors[0].Message, Does.Contain("99digital").And.Contain("Unauthorized"));
                Assert.That(errors[0].Message, Does.Not.Contain("99-key").And.Not.Contain("123-4567").And.Not.Contain("501234567"));
            }
        });
    }

    [Test]
    public async Task SendAsync_AmmNoCredit_MovesOnToIp1AndLogsOneError()
    {
        amm.Answer(Endpoints.AmmSend, Reply.Json(400, "{\"errorMsg\": \"NO_CREDIT\", \"errorCode\": 400}"));
        var client = CreateDocumented("code");
        var result = await client.SendAsync(new OtpSendRequest(Italian));
        var errors = logs.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Error).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Challenge!.ProviderName, Is.EqualTo(OtpProviderNames.Ip1), result.ToString());
            Assert.That((amm.RequestCount(), ip1.RequestCount()), Is.EqualTo((1, 1)));
            Assert.That(errors, Has.Count.EqualTo(1));
            Assert.That(errors[0].Message, Does.Contain("AMM").And.Contain("InsufficientCredit").And.Contain("NO_CREDIT"));
        });
    }

    [Test]
    public async Task SendAsync_NonIsraeliNumberWith99digitalFirst_MovesOnAsNotSupported()
    {
        var client = Create(otp => otp.UseFailover("NinetyNineDigital", "Amm"));
        var result = await client.SendAsync(new OtpSendRequest(Italian));
        Assert.Multiple(() =>
        {
            Assert.That(result.Challenge!.ProviderName, Is.EqualTo(OtpProviderNames.Amm));
            Assert.That((digital.RequestCount(), amm.RequestCount()), Is.EqualTo((0, 1)), "99digital was never asked: it serves Israel only");
        });
    }

    [Test]
    public async Task SendAsync_NumberThatCannotExist_StaysInvalidPhoneNumberWithoutHttp()
    {
        var client = Create(otp => otp.UseFailover("NinetyNineDigital", "Amm", "Ip1"));
        var result = await client.SendAsync(new OtpSendRequest("+39 12"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.InvalidPhoneNumber));
            Assert.That(digital.RequestCount() + amm.RequestCount() + ip1.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_99digitalAmbiguousReason_StaysNoSecondSms()
    {
        digital.Answer(Endpoints.NinetyNineDigital(), Reply.Json(200, "{\"status\": \"FAIL\", \"reason\": 5}"));
        var client = CreateDocumented("code");
        var result = await client.SendAsync(new OtpSendRequest(Israeli));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.MayHaveBeenAccepted, Is.True);
            Assert.That(amm.RequestCount(), Is.Zero, "99digital may already have texted");
        });
    }

    [TestCaseSource(nameof(BothWays))]
    public async Task SendAsync_RegionWithoutRouteAndNoDefault_NotSupportedBeforeHttp(string how)
    {
        var client = how == "code"
            ? Create(otp => otp.Route("IL", "NinetyNineDigital", "Amm"))
            : CreateFromConfiguration(("Otp:Routes:IL:0", "NinetyNineDigital"), ("Otp:Routes:IL:1", "Amm"));
        var result = await client.SendAsync(new OtpSendRequest(Italian));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.NotSupported));
            Assert.That(result.Error.Message, Does.Contain("IT"));
            Assert.That(digital.RequestCount() + amm.RequestCount() + ip1.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task VerifyAsync_AlwaysGoesToTheChallengesProvider_WhateverTheRoute()
    {
        ip1.Answer(Endpoints.Ip1Validate, Reply.Json(200, "{\"Valid\": true, \"Authentication\": {\"ID\": 42}}"));
        var client = CreateDocumented("code");

        // An Israeli number that iP1 texted (say, before the route existed) is still checked with iP1.
        var result = await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge(OtpProviderNames.Ip1, "42", "+972501234567"), "AB12C"));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.True, result.ToString());
            Assert.That((digital.RequestCount(), amm.RequestCount(), ip1.RequestCount()), Is.EqualTo((0, 0, 1)));
        });
    }

    [TestCase("ip1")]
    [TestCase("IP1")]
    [TestCase("amm")]
    [TestCase("99DIGITAL")]
    [TestCase("Twilio")]
    public async Task VerifyAsync_ProviderNameNotExact_NotFoundAndNothingSent(string relabelled)
    {
        var client = CreateDocumented("code");
        var result = await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge(relabelled, "42", "+972501234567"), "123456"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(result.IsVerified, Is.False);
            Assert.That(digital.RequestCount() + amm.RequestCount() + ip1.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public void Route_RoutesOfTheClient_AreReadable()
    {
        var client = (FailoverOtpClient)CreateDocumented("code");
        Assert.Multiple(() =>
        {
            Assert.That(client.GetRoute("IL").Select(c => c.ProviderName), Is.EqualTo(new[] { "99digital", "AMM" }));
            Assert.That(client.GetRoute("il").Select(c => c.ProviderName), Is.EqualTo(new[] { "99digital", "AMM" }));
            Assert.That(client.GetRoute("IT").Select(c => c.ProviderName), Is.EqualTo(new[] { "AMM", "iP1" }));
            Assert.That(client.GetRoute(null).Select(c => c.ProviderName), Is.EqualTo(new[] { "AMM", "iP1" }));
            Assert.That(client.Clients, Has.Count.EqualTo(3));
        });
    }

    [TestCase("ISR", "Otp:Routes:ISR")]
    [TestCase("XX", "Otp:Routes:XX")]
    [TestCase("il ", "Otp:Routes:il ")]
    public void AddOtpClient_RouteKeyNotARegion_FailsNamingThePath(string key, string path)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => CreateFromConfiguration(($"Otp:Routes:{key}:0", "Amm")));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("region code"));
    }

    [Test]
    public void AddOtpClient_RouteWithUnknownProvider_FailsNamingIt()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => CreateFromConfiguration(("Otp:Routes:IL:0", "Twilio")));
        Assert.That(ex!.Message, Does.Contain("Twilio"));
    }

    [Test]
    public void AddOtpClient_RouteNamingAProviderTwice_FailsNamingThePath()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => CreateFromConfiguration(("Otp:Routes:IL:0", "Amm"), ("Otp:Routes:IL:1", "amm")));
        Assert.That(ex!.Message, Does.Contain("Otp:Routes:IL").And.Contain("twice"));
    }

    [Test]
    public void AddOtpClient_FailoverAndDefaultRoute_FailsNamingBoth()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => CreateFromConfiguration(("Otp:Failover:0", "Amm"), ("Otp:Routes:*:0", "Ip1")));
        Assert.That(ex!.Message, Does.Contain("Otp:Failover").And.Contain("Otp:Routes:*"));
    }

    [TestCase("ISR")]
    [TestCase("")]
    [TestCase("1L")]
    public void Route_NotARegion_ThrowsNamingIt(string region)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(otp => otp.Route(region, "Amm")));
        Assert.That(ex!.ParamName, Is.EqualTo("regionCode"));
    }

    [Test]
    public void Route_ProviderNotConfigured_Throws()
    {
        var services = new ServiceCollection();
        var ex = Assert.Throws<InvalidOperationException>(() => services.AddOtpClient(otp =>
        {
            otp.UseAmm(o =>
            {
                o.AuthKey = "k";
                o.AuthSecret = "s";
            });
            otp.Route("IL", "NinetyNineDigital");
        }));
        Assert.That(ex!.Message, Does.Contain("99digital").And.Contain("UseNinetyNineDigital"));
    }
}
