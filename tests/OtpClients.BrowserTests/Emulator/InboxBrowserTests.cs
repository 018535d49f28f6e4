using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpClients.BrowserTests.Infrastructure;
using OtpClients.Emulator;
using static Microsoft.Playwright.Assertions;

namespace OtpClients.BrowserTests.Emulator;

/// <summary>
/// The emulator's inbox page in a real browser (headless Chromium through Playwright), with codes sent and checked by
/// the SDK in the same process: live updates, code states, fault controls, filters, no console errors, accessibility.
/// </summary>
public sealed partial class InboxBrowserTests
{
    private const string Phone = "+393481234567";

    private OtpEmulator? emulator;
    private ServiceProvider? services;
    private BrowserPage? opened;

    private IPage Page => opened!.Page;

    private OtpEmulator Emulator => emulator!;

    private IOtpClient Client(string name) => services!.GetRequiredKeyedService<IOtpClient>(name);

    [SetUp]
    public async Task StartAsync()
    {
        emulator = await OtpEmulator.StartAsync();
        var collection = new ServiceCollection();

        // No retries and no breaker: each fault set on the page shows on the very next call.
        collection.AddOtpClient("AMM", otp => otp.UseAmm(o =>
        {
            emulator.ConfigureAmm(o);
            o.MaxRetryAttempts = 0;
            o.CircuitBreaker.Enabled = false;
        }));
        collection.AddOtpClient("iP1", otp => otp.UseIp1(o =>
        {
            emulator.ConfigureIp1(o);
            o.MaxRetryAttempts = 0;
            o.CircuitBreaker.Enabled = false;
        }));
        collection.AddOtpClient("99digital", otp => otp.UseNinetyNineDigital(emulator.ConfigureNinetyNineDigital));
        collection.AddOtpClient("Twilio", otp => otp.UseTwilioVerify(emulator.ConfigureTwilio));
        services = collection.BuildServiceProvider();
        opened = await BrowserPage.OpenAsync(emulator.BaseAddress);
        await Page.GotoAsync("/");
        await Expect(Page.Locator("#connection")).ToHaveTextAsync("Live");
    }

    [TearDown]
    public async Task StopAsync()
    {
        var errors = opened is null ? [] : await opened.CloseAsync();

        if (services is not null)
        {
            await services.DisposeAsync();
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        Assert.That(errors, Is.Empty, "the page logged no console errors");
    }

    private async Task<(OtpChallenge Challenge, string Code)> SendAsync(string provider, string phone)
    {
        var sent = await Client(provider).SendAsync(new OtpSendRequest(phone) { MessageTemplate = "Your Contoso code is {code}" });
        Assert.That(sent.IsSuccess, Is.True, sent.ToString());
        return (sent.Challenge!, Emulator.Outbox.LastCodeFor(phone)!);
    }

    private ILocator Message(string code) => Page.Locator($"article.msg[data-code='{code}']");

    [Test]
    public async Task Send_FromTheSdk_AppearsWithinASecondWithoutReloadWithTheCode()
    {
        await Page.EvaluateAsync("() => { window.notReloaded = true; }");

        var (_, code) = await SendAsync("AMM", Phone);

        var message = Message(code);
        await Expect(message).ToBeVisibleAsync(new() { Timeout = 1000 });
        await Expect(message.Locator("mark.code")).ToHaveTextAsync(code);
        await Expect(message.Locator(".text")).ToHaveTextAsync($"Your Contoso code is {code}");
        await Expect(message.Locator(".badge")).ToHaveTextAsync("AMM");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = Phone })).ToBeVisibleAsync();
        Assert.That(await Page.EvaluateAsync<bool>("() => window.notReloaded === true"), Is.True, "the page was not reloaded");
    }

    [Test]
    public async Task Verify_ThroughTheSdk_UpdatesTheStatus()
    {
        var (challenge, code) = await SendAsync("AMM", Phone);
        var status = Message(code).Locator(".status");
        await Expect(status).ToHaveTextAsync(new Regex("^pending · 0 of \\d+ wrong attempts · expires "), new() { Timeout = 1000 });

        await Client("AMM").VerifyAsync(new OtpVerifyRequest(challenge, code == "0000" ? "1111" : "0000"));
        await Expect(status).ToHaveTextAsync(new Regex("^pending · 1 of \\d+ wrong attempts"), new() { Timeout = 1000 });
        var verified = await Client("AMM").VerifyAsync(new OtpVerifyRequest(challenge, code));

        Assert.That(verified.IsVerified, Is.True);
        await Expect(status).ToHaveTextAsync(new Regex("^verified"), new() { Timeout = 1000 });
        await Expect(Message(code)).ToHaveAttributeAsync("data-state", "verified");
    }

    [Test]
    public async Task Fault_SetOnThePage_NextSdkCallFailsAsConfiguredAndClearingRestoresService()
    {
        var amm = Page.GetByRole(AriaRole.Form, new() { Name = "Faults of AMM" });
        await amm.GetByLabel("Error status").FillAsync("503");
        await amm.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(amm.Locator(".fault-state")).ToHaveTextAsync("Active: HTTP 503 on every call");

        var failed = await Client("AMM").SendAsync(new OtpSendRequest(Phone));
        Assert.Multiple(() =>
        {
            Assert.That(failed.Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(failed.Error?.HttpStatusCode, Is.EqualTo(503));
        });

        await amm.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await Expect(amm.Locator(".fault-state")).ToHaveTextAsync("No fault: calls are answered normally.");
        var restored = await Client("AMM").SendAsync(new OtpSendRequest(Phone));
        Assert.That(restored.IsSuccess, Is.True, restored.ToString());
    }

    [Test]
    public async Task Fault_DropAndLatencyOnThePage_NextSdkCallIsANetworkError()
    {
        var ip1 = Page.GetByRole(AriaRole.Form, new() { Name = "Faults of iP1" });
        await ip1.GetByLabel("Latency (ms)").FillAsync("100");
        await ip1.GetByLabel("Drop the connection (timeout)").CheckAsync();
        await ip1.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(ip1.Locator(".fault-state")).ToHaveTextAsync("Active: 100 ms latency, connection dropped on every call");

        var failed = await Client("iP1").SendAsync(new OtpSendRequest("+46701234567"));
        var amm = await Client("AMM").SendAsync(new OtpSendRequest(Phone));

        Assert.Multiple(() =>
        {
            Assert.That(failed.Error?.Code, Is.EqualTo(OtpErrorCode.NetworkError));
            Assert.That(amm.IsSuccess, Is.True, "a fault hits its provider only");
        });
    }

    [Test]
    public async Task Delivery_DropOnThePage_SdkSaysSentButTheMessageIsShownDroppedUntilDeliveredAgain()
    {
        var amm = Page.GetByRole(AriaRole.Form, new() { Name = "Delivery of AMM" });
        await amm.GetByLabel("Messages").SelectOptionAsync("drop");
        await amm.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(amm.Locator(".delivery-state")).ToHaveTextAsync("Dropping every message silently.");

        var (_, dropped) = await SendAsync("AMM", Phone);
        await Expect(Message(dropped)).ToHaveAttributeAsync("data-delivery", "dropped");
        await Expect(Message(dropped).Locator(".delivery-note")).ToContainTextAsync("never reached the phone");
        Assert.That(Emulator.Delivery.Of("AMM").Mode, Is.EqualTo(OtpEmulatorDeliveryMode.Drop), "the page's choice reached the emulator");

        await amm.GetByLabel("Messages").SelectOptionAsync("deliver");
        await amm.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(amm.Locator(".delivery-state")).ToHaveTextAsync("Messages reach the phone at once.");
        var (_, delivered) = await SendAsync("AMM", Phone);
        await Expect(Message(delivered)).ToHaveAttributeAsync("data-delivery", "delivered");
    }

    [Test]
    public async Task Delivery_DropSetOutsideThePage_ShowsInTheSelectSoApplyKeepsIt()
    {
        // The review's finding: AMM read "Dropping every message silently." while its select showed "Delivered at once",
        // so pressing Apply undid the drop.
        Emulator.Delivery.Drop("AMM");
        await Page.ReloadAsync();
        var amm = Page.GetByRole(AriaRole.Form, new() { Name = "Delivery of AMM" });
        await Expect(amm.Locator(".delivery-state")).ToHaveTextAsync("Dropping every message silently.");
        await Expect(amm.GetByLabel("Messages")).ToHaveValueAsync("drop");

        await amm.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(amm.Locator(".delivery-state")).ToHaveTextAsync("Dropping every message silently.");

        var styles = await Page.EvaluateAsync<string[]>("() => ['form.fault fieldset', 'form.delivery fieldset'].map(s => { const c = getComputedStyle(document.querySelector(s)); return `${c.borderStyle} ${c.borderRadius} ${c.padding}`; })");
        Assert.Multiple(async () =>
        {
            Assert.That(Emulator.Delivery.Of("AMM").Mode, Is.EqualTo(OtpEmulatorDeliveryMode.Drop), "Apply kept the drop");
            Assert.That(styles[1], Is.EqualTo(styles[0]), "the Delivery boxes look like the Fault boxes");
            Assert.That(await Page.Locator(".lede").TextContentAsync(), Does.Contain("Twilio"));
        });
    }

    [Test]
    public async Task Delivery_TwilioCallsDroppedOnThePage_CallsAreDroppedAndTextsArrive()
    {
        var twilio = Page.GetByRole(AriaRole.Form, new() { Name = "Delivery of Twilio" });
        await Expect(Page.GetByRole(AriaRole.Form, new() { Name = "Delivery of AMM" }).GetByLabel("Channel")).ToHaveCountAsync(0);
        await twilio.GetByLabel("Channel").SelectOptionAsync("voice");
        await twilio.GetByLabel("Messages").SelectOptionAsync("drop");
        await twilio.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(twilio.Locator(".delivery-state")).ToContainTextAsync("Calls: dropped silently.");

        var client = Client("Twilio");
        var called = await client.SendAsync(new OtpSendRequest(Phone) { Channel = OtpChannel.Voice });
        var texted = await client.SendAsync(new OtpSendRequest("+393489876543"));

        Assert.Multiple(() =>
        {
            Assert.That(called.IsSuccess && texted.IsSuccess, Is.True, $"{called} {texted}");
            Assert.That(Emulator.Delivery.Of("Twilio", OtpChannel.Voice).Mode, Is.EqualTo(OtpEmulatorDeliveryMode.Drop));
            Assert.That(Emulator.Outbox.LastFor(Phone)!.Delivery, Is.EqualTo(OtpEmulatorDeliveryMode.Drop), "the call");
            Assert.That(Emulator.Outbox.LastFor("+393489876543")!.Delivery, Is.EqualTo(OtpEmulatorDeliveryMode.Deliver), "the text");
        });
        await Expect(Message(Emulator.Outbox.LastFor(Phone)!.Code).Locator(".encoding")).ToHaveTextAsync("Voice call: the code spoken digit by digit");
    }

    [Test]
    public async Task Send_Message_ShowsItsEncodingAndSegments()
    {
        var (_, code) = await SendAsync("AMM", Phone);

        await Expect(Message(code).Locator(".encoding")).ToHaveTextAsync("SMS · GSM-7 · 1 segment");
    }

    [Test]
    public async Task Filters_AndClearInbox_ShowWhatIsAsked()
    {
        var (_, ammCode) = await SendAsync("AMM", Phone);
        var (_, ip1Code) = await SendAsync("iP1", "+46701234567");
        await Expect(Message(ip1Code)).ToBeVisibleAsync();

        await Page.GetByLabel("Provider").SelectOptionAsync("iP1");
        await Expect(Message(ammCode)).ToBeHiddenAsync();
        await Expect(Message(ip1Code)).ToBeVisibleAsync();
        await Page.GetByLabel("Provider").SelectOptionAsync(string.Empty);
        await Page.GetByLabel("Number").FillAsync("+39 348");
        await Expect(Message(ip1Code)).ToBeHiddenAsync();
        await Expect(Message(ammCode)).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Clear inbox" }).ClickAsync();
        await Expect(Page.Locator("article.msg")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#empty")).ToBeVisibleAsync();
        Assert.That(Emulator.Outbox.Messages, Is.Empty);
    }

    [Test]
    public async Task Copy_Button_PutsTheCodeOnTheClipboard()
    {
        await opened!.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var (_, code) = await SendAsync("99digital", "+972501234567");

        await Message(code).GetByRole(AriaRole.Button, new() { Name = $"Copy code {code}" }).ClickAsync();

        await Expect(Message(code).GetByRole(AriaRole.Button)).ToHaveTextAsync("Copied");
        Assert.That(await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"), Is.EqualTo(code));
    }

    [Test]
    public async Task Accounts_ShowTheSettingsThatPointAnAppAtTheEmulator()
    {
        var accounts = Page.Locator("#accounts");

        await Expect(accounts).ToContainTextAsync($"Otp__Amm__BaseAddress={Emulator.BaseAddress}");
        await Expect(accounts).ToContainTextAsync($"Otp__Amm__AuthKey={Emulator.Credentials.AmmAuthKey}");
        await Expect(accounts).ToContainTextAsync($"Otp__Ip1__ApiKey={Emulator.Credentials.Ip1ApiKey}");
        await Expect(accounts).ToContainTextAsync($"Otp__NinetyNineDigital__Sender={OtpEmulator.NinetyNineDigitalSender}");
    }

    [Test]
    public async Task Page_WithMessagesAndFaults_HasNoSeriousOrCriticalAccessibilityViolation()
    {
        var (challenge, code) = await SendAsync("AMM", Phone);
        await SendAsync("iP1", "+46701234567");
        await SendAsync("99digital", "+972501234567");
        await Client("AMM").VerifyAsync(new OtpVerifyRequest(challenge, code));
        await Expect(Page.Locator("article.msg")).ToHaveCountAsync(3);
        await Expect(Message(code).Locator(".status")).ToHaveTextAsync(new Regex("^verified"));

        var results = await Page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToArray();
        Assert.That(serious, Is.Empty, string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")));
        await Screenshots.SaveAsync(Page, "emulator-inbox.png");
    }
}
