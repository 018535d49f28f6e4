using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Emulator;
using OtpClients.Tests.Infrastructure;
using OtpClients.Twilio;
using TwilioHttpClient = global::Twilio.Http.SystemNetHttpClient;
using TwilioRestClient = global::Twilio.Clients.TwilioRestClient;
using VerificationCheckResource = global::Twilio.Rest.Verify.V2.Service.VerificationCheckResource;
using VerificationResource = global::Twilio.Rest.Verify.V2.Service.VerificationResource;

namespace OtpClients.Tests.Twilio;

/// <summary>
/// The emulator speaks Twilio Verify: Twilio's own C# library (NuGet Twilio) and the OtpClients plug-in both send and
/// check against it, with Twilio's rules (5 sends, 5 checks, 20404 for a verification that is gone); and Twilio mixes
/// with the built-in providers in one failover route, from configuration.
/// </summary>
public sealed class TwilioEmulatorTests : EmulatorFixture
{
    private const string Phone = "+393481234567";

    private TwilioRestClient OfficialClient()
    {
        var http = new HttpClient(new ToEmulator(Emulator.BaseAddress));
        return new TwilioRestClient(Emulator.Credentials.TwilioAccountSid, Emulator.Credentials.TwilioAuthToken, httpClient: new TwilioHttpClient(http));
    }

    private ServiceProvider Services(Action<OtpClientBuilder>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Emulator.TimeProvider);
        services.AddOtpClient(otp =>
        {
            otp.UseTwilioVerify(o =>
            {
                o.BaseAddress = Emulator.BaseAddress;
                o.AccountSid = Emulator.Credentials.TwilioAccountSid;
                o.AuthToken = Emulator.Credentials.TwilioAuthToken;
                o.ServiceSid = Emulator.Credentials.TwilioServiceSid;
            });
            more?.Invoke(otp);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>An app configured from configuration with Twilio (its descriptor registered) and AMM on the emulator, plus <paramref name="route"/>.</summary>
    private ServiceProvider FromConfiguration(params (string Key, string Value)[] route)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Emulator.TimeProvider);
        services.AddOtpProvider(TwilioVerifyOtpClientBuilderExtensions.Descriptor);
        var amm = new OtpClients.Amm.AmmOptions();
        Emulator.ConfigureAmm(amm);
        var values = new Dictionary<string, string?>
        {
            ["Otp:Twilio:BaseAddress"] = Emulator.BaseAddress.ToString(),
            ["Otp:Twilio:AccountSid"] = Emulator.Credentials.TwilioAccountSid,
            ["Otp:Twilio:AuthToken"] = Emulator.Credentials.TwilioAuthToken,
            ["Otp:Twilio:ServiceSid"] = Emulator.Credentials.TwilioServiceSid,
            ["Otp:Twilio:MaxRetryAttempts"] = "0",
            ["Otp:Amm:BaseAddress"] = amm.BaseAddress.ToString(),
            ["Otp:Amm:AuthKey"] = amm.AuthKey,
            ["Otp:Amm:AuthSecret"] = amm.AuthSecret,
        };
        foreach (var (key, value) in route)
        {
            values[key] = value;
        }

        services.AddOtpClient(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Otp"));
        return services.BuildServiceProvider();
    }

    [Test]
    public async Task OfficialTwilioLibrary_CreateThenCheck_ApprovedWithTheTextedCode()
    {
        var client = OfficialClient();
        var sid = Emulator.Credentials.TwilioServiceSid;

        var verification = await VerificationResource.CreateAsync(to: Phone, channel: "sms", pathServiceSid: sid, client: client);
        var wrong = await VerificationCheckResource.CreateAsync(pathServiceSid: sid, code: "000000" == Emulator.Outbox.LastCodeFor(Phone) ? "111111" : "000000", verificationSid: verification.Sid, client: client);
        var right = await VerificationCheckResource.CreateAsync(pathServiceSid: sid, code: Emulator.Outbox.LastCodeFor(Phone), verificationSid: verification.Sid, client: client);

        Assert.Multiple(() =>
        {
            Assert.That(verification.Sid, Does.Match("^VE[0-9a-f]{32}$"));
            Assert.That(verification.Status, Is.EqualTo("pending"));
            Assert.That(wrong.Status, Is.EqualTo("pending"));
            Assert.That(wrong.Valid, Is.False);
            Assert.That(right.Status, Is.EqualTo("approved"));
            Assert.That(right.Valid, Is.True);
        });
    }

    [Test]
    public async Task OfficialTwilioLibrary_SixthCheck_IsTwilios60202()
    {
        var client = OfficialClient();
        var sid = Emulator.Credentials.TwilioServiceSid;
        var verification = await VerificationResource.CreateAsync(to: Phone, channel: "sms", pathServiceSid: sid, client: client);
        var wrong = Emulator.Outbox.LastCodeFor(Phone) == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await VerificationCheckResource.CreateAsync(pathServiceSid: sid, code: wrong, verificationSid: verification.Sid, client: client);
        }

        var ex = Assert.ThrowsAsync<global::Twilio.Exceptions.ApiException>(() => VerificationCheckResource.CreateAsync(pathServiceSid: sid, code: Emulator.Outbox.LastCodeFor(Phone), verificationSid: verification.Sid, client: client));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo(60202));
            Assert.That(ex.Status, Is.EqualTo(429));
        });
    }

    [Test]
    public async Task Plugin_SendAndVerify_AgainstTheEmulator()
    {
        await using var services = Services();
        var client = services.GetRequiredService<IOtpClient>();

        var sent = await client.SendAsync(new OtpSendRequest(Phone));
        var verified = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, Emulator.Outbox.LastCodeFor(Phone)!));
        var again = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, Emulator.Outbox.LastCodeFor(Phone)!));

        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True, sent.ToString());
            Assert.That(Emulator.Outbox.Messages.Single().Provider, Is.EqualTo("Twilio"));
            Assert.That(verified.IsVerified, Is.True, verified.ToString());
            Assert.That(again.Status, Is.EqualTo(OtpVerificationStatus.NotFound), "approved: Twilio answers 20404");
        });
    }

    [Test]
    public async Task Plugin_Sessions_CapAttemptsAtTwiliosFive()
    {
        await using var services = Services(otp => otp.UseSessions(s => s.MaxAttempts = 20));
        var sessions = services.GetRequiredService<IOtpVerificationSessions>();
        var started = await sessions.StartAsync(new OtpSendRequest(Phone));
        var wrong = Emulator.Outbox.LastCodeFor(Phone) == "000000" ? "111111" : "000000";
        var results = new List<OtpVerifyResult>();
        for (var i = 0; i < 6; i++)
        {
            results.Add(await sessions.CheckAsync(started.VerificationId!, wrong));
        }

        Assert.Multiple(() =>
        {
            Assert.That(results.Take(5).Select(r => r.Status), Is.All.EqualTo(OtpVerificationStatus.InvalidCode));
            Assert.That(results[5].Status, Is.EqualTo(OtpVerificationStatus.TooManyAttempts), "the session knows Twilio's limit");
        });
    }

    [Test]
    public async Task Plugin_Cancel_ThenTheCodeNoLongerVerifies()
    {
        await using var services = Services();
        var client = services.GetRequiredService<IOtpClient>();
        var twilio = services.GetRequiredService<TwilioVerifyOtpClient>();
        var sent = await client.SendAsync(new OtpSendRequest(Phone));

        var cancelled = await twilio.CancelAsync(sent.Challenge!);
        var check = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, Emulator.Outbox.LastCodeFor(Phone)!));

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.IsSuccess, Is.True, cancelled.ToString());
            Assert.That(check.Status, Is.EqualTo(OtpVerificationStatus.NotFound));
        });
    }

    [Test]
    public async Task Plugin_SixthSendToOneNumber_IsAPerRecipientLimit()
    {
        await using var services = Services();
        var client = services.GetRequiredService<IOtpClient>();
        for (var i = 0; i < 5; i++)
        {
            Assert.That((await client.SendAsync(new OtpSendRequest(Phone))).IsSuccess, Is.True);
        }

        var sixth = await client.SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(sixth.Error?.ProviderCode, Is.EqualTo("60203"));
            Assert.That(sixth.Error?.IsRecipientLimit, Is.True);
        });
    }

    /// <summary>Twilio and AMM in one route, named from configuration: Twilio down, AMM sends; the code verifies at AMM.</summary>
    [Test]
    public async Task Failover_TwilioThenAmmFromConfiguration_TwilioDownAmmSends()
    {
        await using var provider = FromConfiguration(("Otp:Failover:0", "Twilio"), ("Otp:Failover:1", "Amm"));
        var client = provider.GetRequiredService<IOtpClient>();
        Emulator.Faults.Add(new OtpEmulatorFault { Provider = "Twilio", StatusCode = 503, Count = null });

        var sent = await client.SendAsync(new OtpSendRequest(Phone));
        var verified = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, Emulator.Outbox.LastCodeFor(Phone)!));

        Assert.Multiple(() =>
        {
            Assert.That(sent.Challenge?.ProviderName, Is.EqualTo("AMM"), sent.ToString());
            Assert.That(verified.IsVerified, Is.True);
        });
    }

    /// <summary>A region route IL → AMM and the default route * → Twilio, from configuration.</summary>
    [Test]
    public async Task Routes_IsraelToAmmAndTheRestToTwilio_FromConfiguration()
    {
        await using var provider = FromConfiguration(("Otp:Routes:IL:0", "Amm"), ("Otp:Routes:*:0", "Twilio"));
        var client = provider.GetRequiredService<IOtpClient>();

        var israeli = await client.SendAsync(new OtpSendRequest("+972501234567"));
        var italian = await client.SendAsync(new OtpSendRequest(Phone));
        var verified = await client.VerifyAsync(new OtpVerifyRequest(italian.Challenge!, Emulator.Outbox.LastCodeFor(Phone)!));

        Assert.Multiple(() =>
        {
            Assert.That(israeli.Challenge?.ProviderName, Is.EqualTo("AMM"));
            Assert.That(italian.Challenge?.ProviderName, Is.EqualTo("Twilio"));
            Assert.That(verified.IsVerified, Is.True);
        });
    }

    /// <summary>Sessions with the guard and delivery health, and resend, work unchanged with the plug-in in the route.</summary>
    [Test]
    public async Task Sessions_GuardAndDeliveryHealth_WorkUnchangedWithThePlugin()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Emulator.TimeProvider);
        services.AddOtpClient(otp =>
        {
            otp.UseTwilioVerify(Emulator.ConfigureTwilio);
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseFailover("Twilio", "Amm");
            otp.UseSendGuard(g => g.AllowedRegions.Add("IT"));
            otp.UseDeliveryHealth();
        });
        await using var provider = services.BuildServiceProvider();
        var sessions = provider.GetRequiredService<IOtpVerificationSessions>();
        Emulator.Delivery.Drop("Twilio");

        var started = await sessions.StartAsync(new OtpSendRequest(Phone) { ClientIpAddress = "198.51.100.7" });
        var tooSoon = await sessions.ResendAsync(started.VerificationId!, "198.51.100.7");
        Clock.Advance(TimeSpan.FromSeconds(31));
        var resent = await sessions.ResendAsync(started.VerificationId!, "198.51.100.7");
        var verified = await sessions.CheckAsync(started.VerificationId!, Emulator.Outbox.LastDeliveredFor(Phone)!.Code, "198.51.100.7");

        Assert.Multiple(() =>
        {
            Assert.That(started.ProviderName, Is.EqualTo("Twilio"));
            Assert.That(tooSoon.Error?.ProviderCode, Is.EqualTo(OtpClients.Guard.OtpGuardRules.Cooldown));
            Assert.That(resent.ProviderName, Is.EqualTo("AMM"), "the SMS Twilio dropped is resent through AMM");
            Assert.That(verified.IsVerified, Is.True, verified.ToString());
        });
    }

    [Test]
    public async Task Identity_TwoFactorCodeThroughTwilio_Verifies()
    {
        await using var identity = new OtpClients.Tests.Identity.IdentityApp(Emulator, otp => otp.UseTwilioVerify(Emulator.ConfigureTwilio));
        var id = await identity.CreateUserAsync("tess", Phone);

        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var valid = await identity.WithUserAsync(id, (users, user, _) => users.VerifyTwoFactorTokenAsync(user, "Phone", Emulator.Outbox.LastCodeFor(Phone)!));

        Assert.Multiple(() =>
        {
            Assert.That(Emulator.Outbox.Messages.Single().Provider, Is.EqualTo("Twilio"));
            Assert.That(valid, Is.True);
        });
    }

    /// <summary>Sends Twilio's library's requests for verify.twilio.com to the emulator, path and query kept.</summary>
    private sealed class ToEmulator(Uri emulator) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(emulator, request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
