using Microsoft.Extensions.DependencyInjection;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Twilio;

/// <summary>
/// Channels: a voice call or WhatsApp through the providers that offer them (Twilio), skipping the others without a
/// request; "call me instead" on a session, with every live code valid; the emulator's call; the otp.channel tag.
/// </summary>
public sealed class ChannelTests : EmulatorFixture
{
    private const string Phone = "+393481234567";

    /// <summary>AMM and Twilio on the emulator, in <paramref name="route"/>'s order (AMM first by default).</summary>
    private ServiceProvider Build(params string[] route) => Build(otp =>
    {
        otp.UseAmm(Emulator.ConfigureAmm);
        otp.UseTwilioVerify(Emulator.ConfigureTwilio);
        otp.UseFailover(route.Length == 0 ? ["Amm", "Twilio"] : route);
    });

    /// <summary>An app on the emulator's clock, configured by <paramref name="configure"/>.</summary>
    private ServiceProvider Build(Action<OtpClientBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddOtpClient(configure);
        return services.BuildServiceProvider();
    }

    private void AssertNotSupportedWithoutHttp(OtpSendResult sent, string message) => Assert.Multiple(() =>
    {
        Assert.That(sent.Error?.Code, Is.EqualTo(OtpErrorCode.NotSupported));
        Assert.That(sent.Error?.Message, Does.Contain(message));
        Assert.That(Emulator.Outbox.Messages, Is.Empty);
    });

    [TestCase(OtpChannel.Voice, OtpChannel.Voice, "Your verification code is: {0}.")]
    [TestCase(OtpChannel.WhatsApp, OtpChannel.WhatsApp, "Your verification code is: {1}")]
    public async Task SendAsync_ChannelOnlyTwilioOffers_GoesToTwilioWithoutAskingAmm(OtpChannel asked, OtpChannel expected, string text)
    {
        await using var provider = Build();

        var sent = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone) { Channel = asked });

        var message = Emulator.Outbox.Messages.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.Challenge?.ProviderName, Is.EqualTo("Twilio"), sent.ToString());
            Assert.That(message.Provider, Is.EqualTo("Twilio"), "AMM, first in the route, was skipped: it offers SMS only");
            Assert.That(message.Channel, Is.EqualTo(expected));
            Assert.That(message.Text, Is.EqualTo(string.Format(System.Globalization.CultureInfo.InvariantCulture, text, string.Join(", ", message.Code.ToCharArray()), message.Code)));
        });
    }

    [Test]
    public async Task SendAsync_VoiceOnARouteOfSmsProviders_IsNotSupportedBeforeAnyHttpCall()
    {
        await using var provider = Build(otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseIp1(Emulator.ConfigureIp1);
            otp.UseFailover("Amm", "Ip1");
        });

        var sent = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone) { Channel = OtpChannel.Voice });

        AssertNotSupportedWithoutHttp(sent, "does not offer voice calls");
    }

    [Test]
    public async Task SendAsync_SingleSmsProviderAskedForWhatsApp_IsNotSupportedNamingIt()
    {
        await using var provider = Build(otp => otp.UseAmm(Emulator.ConfigureAmm));

        var sent = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone) { Channel = OtpChannel.WhatsApp });

        AssertNotSupportedWithoutHttp(sent, "AMM does not offer WhatsApp; it offers SMS.");
    }

    [Test]
    public async Task Sessions_CallMeInstead_ResendsByVoiceAndEitherCodeVerifies()
    {
        await using var provider = Build();
        var sessions = provider.GetRequiredService<IOtpVerificationSessions>();

        var started = await sessions.StartAsync(new OtpSendRequest(Phone));
        Clock.Advance(TimeSpan.FromSeconds(31));
        var called = await sessions.ResendAsync(started.VerificationId!, OtpChannel.Voice);
        var sms = Emulator.Outbox.Messages.Single(m => m.Channel == OtpChannel.Sms);
        var call = Emulator.Outbox.Messages.Single(m => m.Channel == OtpChannel.Voice);

        var bySms = await sessions.CheckAsync(started.VerificationId!, sms.Code);

        var again = await sessions.StartAsync(new OtpSendRequest("+393481234568"));
        Clock.Advance(TimeSpan.FromSeconds(31));
        await sessions.ResendAsync(again.VerificationId!, OtpChannel.Voice);
        var byCall = await sessions.CheckAsync(again.VerificationId!, Emulator.Outbox.LastFor("+393481234568")!.Code);

        Assert.Multiple(() =>
        {
            Assert.That(started.ProviderName, Is.EqualTo("AMM"));
            Assert.That(called.ProviderName, Is.EqualTo("Twilio"), called.ToString());
            Assert.That((sms.Provider, call.Provider), Is.EqualTo(("AMM", "Twilio")));
            Assert.That(bySms.IsVerified, Is.True, "the texted code still verifies after the call: " + bySms);
            Assert.That(byCall.IsVerified, Is.True, "the spoken code verifies: " + byCall);
        });
    }

    [Test]
    public async Task Sessions_VoiceResendOnTheProviderThatTexted_CallsTheSameVerification()
    {
        await using var provider = Build("Twilio", "Amm");
        var sessions = provider.GetRequiredService<IOtpVerificationSessions>();

        var started = await sessions.StartAsync(new OtpSendRequest(Phone));
        Clock.Advance(TimeSpan.FromSeconds(31));
        var called = await sessions.ResendAsync(started.VerificationId!, OtpChannel.Voice);
        var checkedCode = await sessions.CheckAsync(started.VerificationId!, Emulator.Outbox.Messages[0].Code);

        Assert.Multiple(() =>
        {
            Assert.That(called.ProviderName, Is.EqualTo("Twilio"), "Twilio texted, and can call too: AMM offers no call");
            Assert.That(Emulator.Outbox.Messages.Select(m => (m.Provider, m.Channel)), Is.EqualTo(new[] { ("Twilio", OtpChannel.Sms), ("Twilio", OtpChannel.Voice) }));
            Assert.That(checkedCode.IsVerified, Is.True, checkedCode.ToString());
        });
    }

    [Test]
    public async Task DeliveryHealth_CallsAndTextsOfAProvider_AreJudgedApart()
    {
        await using var provider = Build(otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseTwilioVerify(Emulator.ConfigureTwilio);
            otp.UseFailover("Amm", "Twilio");
            otp.UseDeliveryHealth();
        });
        var sessions = provider.GetRequiredService<IOtpVerificationSessions>();

        var started = await sessions.StartAsync(new OtpSendRequest(Phone) { ClientIpAddress = "198.51.100.7" });
        Clock.Advance(TimeSpan.FromSeconds(31));
        await sessions.ResendAsync(started.VerificationId!, OtpChannel.Voice, "198.51.100.7");
        await sessions.CheckAsync(started.VerificationId!, Emulator.Outbox.Messages.Single(m => m.Channel == OtpChannel.Voice).Code, "198.51.100.7");
        var reports = await provider.GetRequiredService<OtpClients.Delivery.IOtpDeliveryHealth>().GetReportsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(sessions.Channels, Is.EqualTo(new[] { OtpChannel.Sms, OtpChannel.Voice, OtpChannel.WhatsApp }));
            Assert.That(reports.Select(r => (r.ProviderName, r.RegionCode, r.Sends, r.Resent, r.Verified)), Is.EquivalentTo(new[] { ("AMM", "IT", 1L, 1L, 0L), ("Twilio", "IT/voice", 1L, 0L, 1L) }));
        });
    }

    [Test]
    public async Task Guard_CallsCountAsSendsAndPremiumNumbersAreNotCalled()
    {
        // Voice pumping to premium numbers is a known fraud: the number-type rules apply to calls, and a call spends the
        // number's budget like a text.
        await using var provider = Build(otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseTwilioVerify(Emulator.ConfigureTwilio);
            otp.UseFailover("Amm", "Twilio");
            otp.UseSendGuard(g =>
            {
                g.Cooldown = TimeSpan.Zero;
                g.MaxSendsPerNumber = 2;
            });
        });
        var sessions = provider.GetRequiredService<IOtpVerificationSessions>();
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var premium = util.Format(util.GetExampleNumberForType("IT", PhoneNumbers.PhoneNumberType.PREMIUM_RATE), PhoneNumbers.PhoneNumberFormat.E164);

        var started = await sessions.StartAsync(new OtpSendRequest(Phone));
        var called = await sessions.ResendAsync(started.VerificationId!, OtpChannel.Voice);
        var thirdCall = await sessions.ResendAsync(started.VerificationId!, OtpChannel.Voice);
        var premiumCall = await sessions.StartAsync(new OtpSendRequest(premium) { Channel = OtpChannel.Voice });

        Assert.Multiple(() =>
        {
            Assert.That(called.IsSuccess, Is.True, called.ToString());
            Assert.That(thirdCall.Error?.ProviderCode, Is.EqualTo(OtpClients.Guard.OtpGuardRules.Number), "the text and the call spent the number's budget of 2");
            Assert.That(premiumCall.Error?.Code, Is.EqualTo(OtpErrorCode.Blocked), premiumCall.ToString());
            Assert.That(premiumCall.Error?.ProviderCode, Is.EqualTo(OtpClients.Guard.OtpGuardRules.BlockedNumberType));
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task SendAsync_Voice_TagsTheSendsMetricAndSpanWithItsChannel()
    {
        using var telemetry = new TelemetryCapture();
        await using var provider = Build();

        await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone) { Channel = OtpChannel.Voice });

        var sends = telemetry.Measurements.Where(m => m.Instrument == "otp.sends").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sends.Select(m => (m.Tags["otp.provider"], m.Tags["otp.channel"])), Does.Contain(("Twilio", "voice")));
            Assert.That(telemetry.Activities.Where(a => a.OperationName == "otp.send").Select(a => a.GetTagItem("otp.channel")), Does.Contain("voice"));
        });
    }
}
