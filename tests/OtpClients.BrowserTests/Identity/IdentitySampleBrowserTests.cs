using System.Text.Json;
using Microsoft.Playwright;
using OtpClients.BrowserTests.Infrastructure;
using OtpClients.Emulator;
using static Microsoft.Playwright.Assertions;

namespace OtpClients.BrowserTests.Identity;

/// <summary>
/// The Identity sample in a real browser (headless Chromium through Playwright): each code is read from the embedded
/// emulator's outbox, as a user would read their SMS.
/// </summary>
public sealed class IdentitySampleBrowserTests
{
    private const string Password = "Pass-word-123";
    private const string Phone = "+972501234567";

    private IdentitySite? startedSite;
    private BrowserPage? openedPage;

    private IdentitySite site => startedSite!;

    private IPage Page => openedPage!.Page;

    [SetUp]
    public async Task StartAsync()
    {
        // A breaker that opens after 4 failed calls, short retry delays, and no cooldown between codes (the tests ask
        // for new codes at once; the guard's own tests cover the cooldown).
        startedSite = await IdentitySite.StartAsync(
            "--Otp:Amm:CircuitBreaker:MinimumThroughput=4",
            "--Otp:Amm:RetryBaseDelay=00:00:00.050",
            "--Otp:Ip1:CircuitBreaker:MinimumThroughput=4",
            "--Otp:Ip1:RetryBaseDelay=00:00:00.050",
            "--Otp:SendGuard:Cooldown=00:00:00");
        openedPage = await BrowserPage.OpenAsync(startedSite.BaseAddress);
    }

    [TearDown]
    public async Task StopAsync()
    {
        var errors = openedPage is null ? [] : await openedPage.CloseAsync();

        if (startedSite is not null)
        {
            await startedSite.DisposeAsync();
        }

        Assert.That(errors, Is.Empty, "the pages logged no console errors");
    }

    private async Task SignInWithPasswordAsync(string userName)
    {
        await Page.GotoAsync("Account/Login");
        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    private async Task EnterCodeAsync(string code)
    {
        await Page.GetByLabel("Code").FillAsync(code);
        await Page.Locator("#verify").ClickAsync();
    }

    private static string Wrong(string code) => code[0] == '9' ? "1" + code[1..] : "9" + code[1..];

    [Test]
    public async Task SignIn_RegisterConfirmPhoneEnableTwoFactorSignOutSignInWithCode_SignedIn()
    {
        // Register with a phone: the provider texts a code to confirm it.
        await Page.GotoAsync("Account/Register");
        await Page.GetByLabel("User name").FillAsync("ada");
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByLabel("Mobile phone").FillAsync("+972 50-123-4567");
        await Page.Locator("#register").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/ConfirmPhone$"));
        await Expect(Page.Locator("#masked-phone")).ToHaveTextAsync("+97*******567");

        await Page.GetByLabel("Code").FillAsync(await site.CodeAsync(Phone, 1));
        await Page.Locator("#confirm").ClickAsync();
        await Expect(Page.Locator("#phone-state")).ToContainTextAsync("(confirmed)");

        // Turn on SMS two-factor, sign out.
        await Page.Locator("#enable-2fa").ClickAsync();
        await Expect(Page.Locator("#two-factor-state")).ToHaveTextAsync("on");
        await Page.Locator("#sign-out").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        // Sign in: password, then the code the provider texted.
        await SignInWithPasswordAsync("ada");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/LoginWith2fa$"));
        await EnterCodeAsync(await site.CodeAsync(Phone, 2));

        await Expect(Page.Locator("#welcome")).ToContainTextAsync("Signed in as ada");
        Assert.That(site.Emulator.Outbox.Messages.Select(m => m.Text), Has.All.StartWith("Your Contoso sign-in code is "));
    }

    [Test]
    public async Task SignIn_WrongCodesUntilLockout_LockoutPage()
    {
        await site.SeedUserAsync("bob", Password, Phone);
        await SignInWithPasswordAsync("bob");
        var sent = 1;
        var code = await site.CodeAsync(Phone, sent);

        // Identity locks out after 5 wrong codes (the sample's setting), counted across codes: the provider stops
        // accepting attempts on one code sooner, and the page then says to send a new one.
        for (var wrong = 1; wrong < 5; wrong++)
        {
            await EnterCodeAsync(Wrong(code));
            var error = await Page.Locator("#error").TextContentAsync();
            Assert.That(error, Is.EqualTo("That code is not right.").Or.EqualTo("Too many attempts on that code. Send a new one."), $"wrong code {wrong}");
            if (error!.StartsWith("Too many", StringComparison.Ordinal))
            {
                await Page.Locator("#resend").ClickAsync();
                await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("We sent a new code.");
                code = await site.CodeAsync(Phone, ++sent);
            }
        }

        await EnterCodeAsync(Wrong(code));

        await Expect(Page.Locator("#locked-out")).ToBeVisibleAsync();
        await SignInWithPasswordAsync("bob");
        await Expect(Page.Locator("#locked-out")).ToBeVisibleAsync(); // even the right password is refused now
    }

    [Test]
    public async Task SignIn_ExpiredCode_SaysSoAndANewCodeWorks()
    {
        await site.SeedUserAsync("cy", Password, Phone);
        await SignInWithPasswordAsync("cy");
        var code = await site.CodeAsync(Phone, 1);
        site.Clock.Advance(TimeSpan.FromHours(1)); // the provider's code has expired

        await EnterCodeAsync(code);
        await Expect(Page.Locator("#error")).ToHaveTextAsync("That code has expired. Send a new one.");

        await Page.Locator("#resend").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("We sent a new code.");
        await EnterCodeAsync(await site.CodeAsync(Phone, 2));
        await Expect(Page.Locator("#welcome")).ToContainTextAsync("Signed in as cy");
    }

    [Test]
    public async Task SignIn_SendANewCode_GoesThroughTheOtherProviderOfTheDevelopmentRoute()
    {
        // The sample's development configuration had one provider, so "Send a new code" could not go elsewhere.
        await site.SeedUserAsync("di", Password, Phone);
        await SignInWithPasswordAsync("di");
        await site.CodeAsync(Phone, 1);

        await Page.Locator("#resend").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("We sent a new code.");
        await EnterCodeAsync(await site.CodeAsync(Phone, 2));

        await Expect(Page.Locator("#welcome")).ToContainTextAsync("Signed in as di");
        Assert.That(site.Emulator.Outbox.Messages.Select(m => m.Provider), Is.EqualTo(new[] { "AMM", "iP1" }));
    }

    [Test]
    public async Task SignIn_ProviderDown_ClearMessageThenHealthUnhealthyOnceTheBreakerOpens()
    {
        await site.SeedUserAsync("dee", Password, Phone);
        var health = await Page.APIRequest.GetAsync("health");
        Assert.That(health.Status, Is.EqualTo(200));
        // Both providers of the sample's route (AMM, then iP1) are down.
        site.Emulator.Faults.Add(new OtpEmulatorFault { Provider = "AMM", StatusCode = 503, Count = null });
        site.Emulator.Faults.Add(new OtpEmulatorFault { Provider = "iP1", StatusCode = 503, Count = null });

        await SignInWithPasswordAsync("dee");
        await Expect(Page.Locator("#error")).ToHaveTextAsync("We could not text your code. The SMS service is unavailable right now. Try again in a minute.");

        // Each sign-in is one send, retried on 503; the breaker opens after 4 failed calls.
        for (var i = 0; i < 5 && (await Page.APIRequest.GetAsync("health")).Status == 200; i++)
        {
            await SignInWithPasswordAsync("dee");
            await Expect(Page.Locator("#error")).ToBeVisibleAsync();
        }

        var response = await Page.APIRequest.GetAsync("health");
        Assert.That(response.Status, Is.EqualTo(503));
        using var body = JsonDocument.Parse(await response.TextAsync());
        var otp = body.RootElement.GetProperty("checks").GetProperty("otp");
        Assert.Multiple(() =>
        {
            Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(otp.GetProperty("data").GetProperty("AMM.circuit").GetString(), Is.EqualTo("Open"));
            Assert.That(otp.GetProperty("data").GetProperty("AMM.failureRatio").GetDouble(), Is.EqualTo(1.0));
        });

        // While the circuit is open the page still says what happened, and nothing reaches the provider.
        var calls = site.Emulator.Faults.Injected;
        await SignInWithPasswordAsync("dee");
        await Expect(Page.Locator("#error")).ToHaveTextAsync("We could not text your code. The SMS service is unavailable right now. Try again in a minute.");
        Assert.That(site.Emulator.Faults.Injected, Is.EqualTo(calls), "an open circuit sends nothing");
    }
}
