using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpClients.Messages;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Messages;

/// <summary>
/// <c>otp.UseMessages</c> end to end on the emulator: templates by culture, the origin-bound and app-hash lines, smart
/// encoding, the segment limit at start and per request, the culture kept by a resend, and telemetry.
/// </summary>
public sealed class MessagesTests : EmulatorFixture
{
    private const string Phone = "+393481234567";

    private ServiceProvider Build(Action<OtpMessageOptions> messages, Action<OtpClientBuilder>? providers = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddOtpClient(otp =>
        {
            if (providers is null)
            {
                otp.UseAmm(Emulator.ConfigureAmm);
            }
            else
            {
                providers(otp);
            }

            otp.UseMessages(messages);
        });
        return services.BuildServiceProvider();
    }

    private static void Templates(OtpMessageOptions o)
    {
        o.Templates["he"] = "הקוד שלך הוא {code}";
        o.Templates["it"] = "Il tuo codice è {code}";
        o.Templates["en-GB"] = "Your code is {code}. Cheers!";
        o.Templates["en"] = "Your code is {code}";
        o.Templates["default"] = "Code: {code}";
    }

    private static string StartFailure(IConfiguration configuration, Action<OtpClientBuilder>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var otp = builder.Services.AddOtpClient(configuration.GetSection("Otp"));
        more?.Invoke(otp);
        using var host = builder.Build();
        return Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!.Message;
    }

    /// <summary>AMM on the emulator from configuration, with <paramref name="values"/> added (a later value replaces an earlier one).</summary>
    private IConfiguration Config(params (string Key, string? Value)[] values)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Otp:Provider"] = "Amm",
            ["Otp:Amm:BaseAddress"] = Emulator.BaseAddress.ToString(),
            ["Otp:Amm:AuthKey"] = Emulator.Credentials.AmmAuthKey,
            ["Otp:Amm:AuthSecret"] = Emulator.Credentials.AmmAuthSecret,
        };
        foreach (var (key, value) in values)
        {
            merged[key] = value;
        }

        if (!string.Equals(merged["Otp:Provider"], "Amm", StringComparison.Ordinal))
        {
            foreach (var key in merged.Keys.Where(k => k.StartsWith("Otp:Amm:", StringComparison.Ordinal)).ToList())
            {
                merged.Remove(key);
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(merged).Build();
    }

    [TestCase("he-IL", "הקוד שלך הוא ")]
    [TestCase("it-IT", "Il tuo codice è ")]
    [TestCase("en-GB", "Your code is ")]
    [TestCase("en-US", "Your code is ")]
    [TestCase("fr-FR", "Code: ")]
    public async Task SendAsync_Culture_GetsItsOwnTemplateWalkingUpToDefault(string culture, string expectedStart)
    {
        await using var provider = Build(Templates);

        var sent = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone) { Culture = CultureInfo.GetCultureInfo(culture) });

        var message = Emulator.Outbox.LastFor(Phone)!;
        Assert.Multiple(() =>
        {
            Assert.That(sent.IsSuccess, Is.True, sent.ToString());
            Assert.That(message.Text, Is.EqualTo(culture == "en-GB" ? $"Your code is {message.Code}. Cheers!" : expectedStart + message.Code));
        });
    }

    [Test]
    public async Task SendAsync_NoCultureOnTheRequest_UsesCurrentUICulture()
    {
        await using var provider = Build(Templates);
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("it-IT");
        try
        {
            await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }

        Assert.That(Emulator.Outbox.LastFor(Phone)!.Text, Does.StartWith("Il tuo codice è "));
    }

    [Test]
    public async Task SendAsync_RequestTemplate_WinsOverTheCultures()
    {
        await using var provider = Build(Templates);

        await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone) { Culture = CultureInfo.GetCultureInfo("he-IL"), MessageTemplate = "Contoso: {code}" });

        Assert.That(Emulator.Outbox.LastFor(Phone)!.Text, Does.StartWith("Contoso: "));
    }

    [Test]
    public async Task SendAsync_OriginBoundDomain_IsTheLastLineWithTheAppHashBeforeIt()
    {
        await using var provider = Build(o =>
        {
            o.Templates["default"] = "Your Contoso code is {code}";
            o.OriginBoundDomain = "contoso.example";
            o.AndroidAppHash = "FA+9qCX9VSu";
        });

        await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));

        var message = Emulator.Outbox.LastFor(Phone)!;
        var lines = message.Text.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[^1], Is.EqualTo($"@contoso.example #{message.Code}"), "the WICG origin-bound line, last");
            Assert.That(lines[^2], Is.Empty);
            Assert.That(lines[^3], Is.EqualTo("FA+9qCX9VSu"), "the SMS Retriever hash before it, since the origin-bound line must stay last");
            Assert.That(lines[0], Is.EqualTo($"Your Contoso code is {message.Code}"));
            Assert.That(message.Segments, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_SmartEncodedEnDashTemplate_ArrivesAsGsm7InOneSegment()
    {
        await using var provider = Build(o => o.Templates["default"] = "Your code is {code} – don’t share it…");
        using var http = new HttpClient { BaseAddress = Emulator.BaseAddress };

        await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));

        var message = Emulator.Outbox.LastFor(Phone)!;
        var listed = (await http.GetFromJsonAsync<JsonArray>("_emulator/messages"))!.Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(message.Text, Is.EqualTo($"Your code is {message.Code} - don't share it..."));
            Assert.That(message.Encoding, Is.EqualTo(SmsEncoding.Gsm7));
            Assert.That(message.Segments, Is.EqualTo(1));
            Assert.That(listed["encoding"]!.GetValue<string>(), Is.EqualTo("GSM-7"), "/_emulator/messages shows the encoding");
            Assert.That(listed["segments"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_SmartEncodingOff_ArrivesAsWrittenInUcs2()
    {
        await using var provider = Build(o =>
        {
            o.Templates["default"] = "Your code is {code} – don’t share it…";
            o.SmartEncoding = false;
        });

        await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone));

        var message = Emulator.Outbox.LastFor(Phone)!;
        Assert.Multiple(() =>
        {
            Assert.That(message.Text, Does.Contain("–").And.Contain("’").And.Contain("…"));
            Assert.That(message.Encoding, Is.EqualTo(SmsEncoding.Ucs2));
        });
    }

    [Test]
    public async Task SendAsync_RequestTemplateOverTheLimit_IsInvalidMessageBeforeAnyHttpCall()
    {
        await using var provider = Build(Templates);
        var hebrew = string.Concat(Enumerable.Repeat("הקוד שלך ", 8)) + "{code}";

        var sent = await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone) { MessageTemplate = hebrew });

        Assert.Multiple(() =>
        {
            Assert.That(sent.Error?.Code, Is.EqualTo(OtpErrorCode.InvalidMessage));
            Assert.That(sent.Error?.Message, Does.StartWith("MessageTemplate renders as UCS-2, 76 units, 2 segments (first character outside GSM-7: 'ה' U+05D4) for AMM, over Messages:MaxSegments (1)"));
            Assert.That(Emulator.Outbox.Messages, Is.Empty, "nothing sent");
        });
    }

    [Test]
    public void Start_HebrewTemplateOverOneSegment_FailsNamingThePathEncodingUnitsSegmentsAndCharacter()
    {
        var failure = StartFailure(Config(("Otp:Messages:Templates:he", "קוד האימות שלך לחשבון באתר שלנו הוא {code}. אל תמסרו אותו לאף אחד, גם לא לנציגי שירות.")));

        Assert.That(failure, Does.Contain("Otp:Messages:Templates:he renders as UCS-2, 84 units, 2 segments (first character outside GSM-7: 'ק' U+05E7) for AMM, over Otp:Messages:MaxSegments (1): shorten it, or write it in GSM-7 characters."));
    }

    [Test]
    public void Start_MaxSegmentsTwo_AcceptsTheSameHebrewTemplate()
    {
        var configuration = Config(("Otp:Messages:Templates:he", "קוד האימות שלך לחשבון באתר שלנו הוא {code}. אל תמסרו אותו לאף אחד, גם לא לנציגי שירות."), ("Otp:Messages:MaxSegments", "2"));
        var services = new ServiceCollection();
        services.AddOtpClient(configuration.GetSection("Otp"));
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IOptionsMonitor<OtpMessageOptions>>().Get(Options.DefaultName).MaxSegments, Is.EqualTo(2));
    }

    [Test]
    public void Start_Ip1WithOriginBoundDomain_FailsNamingIp1()
    {
        var failure = StartFailure(Config(
            ("Otp:Provider", "Ip1"),
            ("Otp:Ip1:BaseAddress", Emulator.BaseAddress.ToString()),
            ("Otp:Ip1:AccountId", Emulator.Credentials.Ip1AccountId),
            ("Otp:Ip1:ApiKey", Emulator.Credentials.Ip1ApiKey),
            ("Otp:Messages:Templates:default", "Your code is {code}"),
            ("Otp:Messages:OriginBoundDomain", "contoso.example")));

        Assert.That(failure, Does.Contain("Otp:Messages:OriginBoundDomain adds a line to the message, which iP1 cannot carry (its messages are one line)"));
    }

    [Test]
    public void Start_OriginBoundDomainWithoutAnyTemplate_FailsForTheProviderThatSendsItsOwnText()
    {
        var failure = StartFailure(Config(
            ("Otp:Provider", "NinetyNineDigital"),
            ("Otp:NinetyNineDigital:BaseAddress", Emulator.BaseAddress.ToString()),
            ("Otp:NinetyNineDigital:ApiKey", Emulator.Credentials.NinetyNineDigitalApiKey),
            ("Otp:NinetyNineDigital:Sender", "Contoso"),
            ("Otp:Messages:OriginBoundDomain", "contoso.example")));

        Assert.That(failure, Does.Contain("Otp:Messages:OriginBoundDomain needs the message text, but 99digital sends its account's own text"));
    }

    [TestCase("Otp:Messages:MaxSegment", "1", "Otp:Messages:MaxSegment is not a setting (did you mean Otp:Messages:MaxSegments?)")]
    [TestCase("Otp:Messages:MaxSegments", "0", "Otp:Messages:MaxSegments must be from 1 to 10; it is 0.")]
    [TestCase("Otp:Messages:OriginBoundDomain", "https://contoso.example/", "Otp:Messages:OriginBoundDomain must be a host name such as example.com")]
    [TestCase("Otp:Messages:AndroidAppHash", "short", "Otp:Messages:AndroidAppHash must be the 11-character hash")]
    [TestCase("Otp:Messages:Templates:klingon-XX", "Code {code}", "Otp:Messages:Templates:klingon-XX is not a culture name")]
    [TestCase("Otp:Messages:Templates:he", "no placeholder", "Otp:Messages:Templates:he: ")]
    public void Start_BadMessagesSetting_FailsNamingItsPath(string key, string value, string message)
    {
        string failure;
        try
        {
            failure = StartFailure(Config((key, value)));
        }
        catch (InvalidOperationException ex)
        {
            failure = ex.Message; // a misspelt key is refused when AddOtpClient reads the section
        }

        Assert.That(failure, Does.Contain(message));
    }

    [Test]
    public void Start_TwilioOnlyWithTemplates_FailsSayingTwilioWritesItsOwnText()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddOtpClient(otp =>
        {
            otp.UseTwilioVerify(Emulator.ConfigureTwilio);
            otp.UseMessages(o => o.Templates["default"] = "Code {code}");
        });
        using var host = builder.Build();

        var failure = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync())!.Message;

        Assert.That(failure, Does.Contain("Messages:Templates are set, but Twilio writes its own text"));
    }

    [Test]
    public async Task Sessions_ResendThroughAnotherProvider_KeepsTheUsersLanguage()
    {
        await using var provider = Build(Templates, otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseIp1(Emulator.ConfigureIp1);
            otp.UseFailover("Amm", "Ip1");
        });
        var sessions = provider.GetRequiredService<IOtpVerificationSessions>();

        var started = await sessions.StartAsync(new OtpSendRequest(Phone) { Culture = CultureInfo.GetCultureInfo("he-IL") });
        Clock.Advance(TimeSpan.FromSeconds(31));
        var resent = await sessions.ResendAsync(started.VerificationId!);

        Assert.Multiple(() =>
        {
            Assert.That(resent.ProviderName, Is.EqualTo("iP1"), resent.ToString());
            Assert.That(Emulator.Outbox.Messages.Select(m => m.Text[..^m.Code.Length]), Is.All.EqualTo("הקוד שלך הוא "));
        });
    }

    [Test]
    public async Task SendAsync_Telemetry_RecordsSegmentsByProviderAndEncodingNeverTheText()
    {
        using var telemetry = new TelemetryCapture();
        await using var provider = Build(Templates);

        await provider.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest(Phone) { Culture = CultureInfo.GetCultureInfo("he-IL") });

        var segments = telemetry.Measurements.Where(m => m.Instrument == "otp.sms.segments").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(segments, Has.Count.EqualTo(1));
            Assert.That(segments[0].Value, Is.EqualTo(1));
            Assert.That(segments[0].Tags["otp.provider"], Is.EqualTo("AMM"));
            Assert.That(segments[0].Tags["otp.sms.encoding"], Is.EqualTo("ucs2"));
            Assert.That(telemetry.AllText(), Does.Not.Contain("הקוד").And.Not.Contain(Emulator.Outbox.LastFor(Phone)!.Code));
        });
    }
}
