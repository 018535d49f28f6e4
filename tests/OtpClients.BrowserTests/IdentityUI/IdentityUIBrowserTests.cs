using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OtpClients.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OtpClients.BrowserTests.IdentityUI;

/// <summary>
/// OtpClients.Identity.UI on the app of <c>dotnet new webapp --auth Individual</c>, in a real browser: a new user
/// registers with the template's own pages, adds a phone and confirms it with the code the emulator received, turns on
/// SMS two-factor, signs out, and signs in with password plus texted code (and, once more, with a recovery code). Run
/// with the template's <c>AddDefaultIdentity</c> and with <c>AddIdentity</c> + <c>AddDefaultUI</c>.
/// </summary>
public sealed class IdentityUIBrowserTests
{
    private const string Password = "Pass-word-123";
    private const string Email = "ada@example.com";
    private const string Phone = "+393481234567";

    private TemplateAppSite? startedSite;
    private BrowserPage? openedPage;

    private TemplateAppSite Site => startedSite!;

    private IPage Page => openedPage!.Page;

    [TearDown]
    public async Task StopAsync()
    {
        var errors = openedPage is null ? [] : await openedPage.CloseAsync();
        if (startedSite is not null)
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                await TestContext.Out.WriteLineAsync("The template app printed:" + Environment.NewLine + startedSite.Output);
            }

            await startedSite.DisposeAsync();
        }

        Assert.That(errors, Is.Empty, "the pages logged no console errors");
    }

    private async Task StartAsync(bool useAddIdentity, params string[] settings)
    {
        startedSite = await TemplateAppSite.StartAsync(useAddIdentity, settings);
        openedPage = await BrowserPage.OpenAsync(startedSite.BaseAddress);
    }

    private async Task LogInWithPasswordAsync()
    {
        await Page.GotoAsync("Identity/Account/Login");
        await Page.GetByLabel("Email").FillAsync(Email);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    private async Task LogOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Logout" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Login" })).ToBeVisibleAsync();
    }

    private async Task AssertAccessibleAsync(string what)
    {
        var results = await Page.Locator("main").RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToArray();
        Assert.That(serious, Is.Empty, what + ": " + string.Join("\n", serious.Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")));
    }

    [TestCase(false, TestName = "SignIn_TemplateAppWithAddDefaultIdentity_PhoneConfirmedAndSmsTwoFactorSignsIn")]
    [TestCase(true, TestName = "SignIn_TemplateAppWithAddIdentity_PhoneConfirmedAndSmsTwoFactorSignsIn")]
    public async Task SignIn_TemplateApp_PhoneConfirmedAndSmsTwoFactorSignsIn(bool useAddIdentity)
    {
        await StartAsync(useAddIdentity);

        // Register and confirm the account with the template's pages (no e-mail sender: the page shows the link).
        await RegisterAndLogInAsync();

        // The account menu has the package's page.
        await Page.GetByRole(AriaRole.Link, new() { Name = $"Hello {Email}!" }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Phone and SMS", Exact = true }).First.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/Identity/Account/Manage/Phone$"));
        await Expect(Page.Locator("#phone")).ToHaveAttributeAsync("aria-current", "page");
        await AssertAccessibleAsync("the phone page, empty");

        // A number that is not one: said next to the field, nothing sent.
        await Page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("+39 (0)348 123 4567"); // Italy has no trunk 0: it would be another number
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Expect(Page.Locator("#number-error")).ToContainTextAsync("That is not a phone number");
        Assert.That(Site.Emulator.Outbox.Messages, Is.Empty);
        await AssertAccessibleAsync("the phone page with an error");

        // Add the phone, get a code, ask for a new one (the provider makes a new code), confirm with the last.
        await Page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("+39 348 123 4567");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToHaveTextAsync("We texted a code to +39 348 123 4567.");
        await Site.CodeAsync(Phone, 1);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToHaveTextAsync("We sent a new code.");
        var code = await Site.CodeAsync(Phone, 2);
        await AssertAccessibleAsync("the phone page, waiting for the code");
        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(code);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToHaveTextAsync("Your phone number is confirmed.");
        await Expect(Page.Locator("#phone-state")).ToContainTextAsync("confirmed");

        // Turn on SMS two-factor: recovery codes are shown once.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in by SMS" }).ClickAsync();
        await Expect(Page.Locator("#two-factor-state")).ToContainTextAsync("On");
        await Expect(Page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        var recoveryCode = (await Page.Locator("#recovery-codes li").First.TextContentAsync())!.Trim();
        await AssertAccessibleAsync("the phone page with two-factor on");
        if (!useAddIdentity)
        {
            await Screenshots.SaveAsync(Page, "identity-ui-phone.png");
        }

        await LogOutAsync();

        // Sign in: the password, then (sent on from the stock authenticator page) a texted code.
        await LogInWithPasswordAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/Identity/Account/LoginWithSms"));
        await Expect(Page.Locator("#use-authenticator")).ToHaveCountAsync(0); // no authenticator app set up
        await AssertAccessibleAsync("the SMS sign-in page");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToHaveTextAsync("We texted you a code.");
        var signInCode = await Site.CodeAsync(Phone, 3);
        if (!useAddIdentity)
        {
            await Screenshots.SaveAsync(Page, "identity-ui-sign-in.png");
        }

        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(signInCode[0] == '9' ? "1" + signInCode[1..] : "9" + signInCode[1..]);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#code-error")).ToHaveTextAsync("That code is not right.");
        await AssertAccessibleAsync("the SMS sign-in page with a wrong code");
        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(signInCode);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = $"Hello {Email}!" })).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync(Site.BaseAddress.ToString());
        await LogOutAsync();

        // No phone at hand: a recovery code.
        await LogInWithPasswordAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Log in with a recovery code" }).ClickAsync();
        await Page.GetByLabel("Recovery Code").FillAsync(recoveryCode);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = $"Hello {Email}!" })).ToBeVisibleAsync();
        Assert.That(Site.Emulator.Outbox.Messages, Has.Count.EqualTo(3), "no code was texted but the three asked for");
    }

    [Test]
    public async Task ChangePhone_SmsTwoFactorOnWithOnlyTheSessionCookie_NeedsThePassword()
    {
        // The review's finding: with SMS two-factor on, whoever held only the sign-in cookie could move the two-factor
        // phone to a number of theirs (the page already refused to remove it). Now the change needs the password.
        await StartAsync(useAddIdentity: false);
        await RegisterAndLogInAsync();
        await AddPhoneWithSmsTwoFactorAsync();
        await Expect(Page.Locator("#two-factor-state")).ToContainTextAsync("On");
        const string Theirs = "+393489999999";

        // Only the cookie: no password typed.
        await Page.GetByLabel("New phone number").FillAsync(Theirs);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Expect(Page.Locator("#password-error")).ToContainTextAsync("Enter your current password");
        await AssertAccessibleAsync("the phone page asking for the password");

        // A wrong password.
        await Page.GetByLabel("New phone number").FillAsync(Theirs);
        await Page.GetByLabel("Current password").FillAsync("not-the-password");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Expect(Page.Locator("#password-error")).ToHaveTextAsync("That password is not right.");
        Assert.That(Site.Emulator.Outbox.Messages.Where(m => m.PhoneNumber == Theirs), Is.Empty, "nothing texted to the new number without the password");

        // The owner, with the password.
        await Page.GetByLabel("New phone number").FillAsync(Theirs);
        await Page.GetByLabel("Current password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToContainTextAsync("We texted a code to");
        await Site.CodeAsync(Theirs, 1);
    }

    [Test]
    public async Task CodeFields_BothSmsPages_HaveOneTimeCodeAutofillATextKeypadAndTheWebOtpScript()
    {
        // Autofill: Safari reads the origin-bound last line through autocomplete="one-time-code"; Chrome's WebOTP needs
        // the page to ask (navigator.credentials.get with the sms transport). iP1 codes have letters: a text keypad.
        await StartAsync(useAddIdentity: false);
        await RegisterAndLogInAsync();
        await Page.GotoAsync("Identity/Account/Manage/Phone");
        await Page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("+39 348 123 4567");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        var phonePage = await CodeFieldAsync();
        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(await Site.CodeAsync(Phone, 1));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in by SMS" }).ClickAsync();
        await LogOutAsync();
        await LogInWithPasswordAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        var signInPage = await CodeFieldAsync();

        foreach (var (page, field) in new[] { ("phone page", phonePage), ("sign-in page", signInPage) })
        {
            Assert.Multiple(() =>
            {
                Assert.That(field.Autocomplete, Is.EqualTo("one-time-code"), page);
                Assert.That(field.InputMode, Is.EqualTo("text"), page);
                Assert.That(field.Autocapitalize, Is.EqualTo("characters"), page);
                Assert.That(field.Scripts, Does.Contain("navigator.credentials.get({ otp: { transport: [\"sms\"] }"), page);
            });
        }
    }

    private async Task<(string? Autocomplete, string? InputMode, string? Autocapitalize, string Scripts)> CodeFieldAsync()
    {
        var code = Page.Locator("#code");
        await Expect(code).ToBeVisibleAsync();
        var scripts = string.Join("\n", await Page.Locator("script:not([src])").AllTextContentsAsync());
        return (await code.GetAttributeAsync("autocomplete"), await code.GetAttributeAsync("inputmode"), await code.GetAttributeAsync("autocapitalize"), scripts);
    }

    [Test]
    public async Task ProfileAndTwoFactorPages_FromRegistrationToSmsSignIn_KeepTwoFactorWorking()
    {
        // The review's findings: the stock Profile page had an editable phone field that stored an unconfirmed raw number
        // while two-factor stayed on (the next sign-in had no SMS to send), and the stock two-factor page never said SMS.
        await StartAsync(useAddIdentity: false);
        await RegisterAndLogInAsync();

        await Page.GotoAsync("Identity/Account/Manage");
        await Expect(Page.Locator("#Input_PhoneNumber")).ToHaveAttributeAsync("readonly", string.Empty);
        await Expect(Page.Locator("#phone-help")).ToContainTextAsync("No phone number yet.");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync("the profile page");
        await Page.Locator("#phone-and-sms").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/Identity/Account/Manage/Phone$"));

        // A national number without DefaultRegion: the error says what the hint says.
        await Expect(Page.Locator("#number-help")).ToHaveTextAsync("With the country code, such as +972 52 555 0001. We text a code to it.");
        await Page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("052-555-0001");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Expect(Page.Locator("#number-error")).ToHaveTextAsync("Add the country code, such as +972 52 555 0001.");

        // Pending: the number as typed (not masked), said once, and no "No phone number yet."
        await Page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("+39 348 123 4567");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToHaveTextAsync("We texted a code to +39 348 123 4567.");
        await Expect(Page.Locator("#pending-phone")).ToHaveTextAsync("Enter the code we texted to +39 348 123 4567 to confirm it.");
        await Expect(Page.Locator("#phone-state")).ToHaveCountAsync(0);
        Assert.That(Regex.Matches(await Page.Locator("main").InnerTextAsync(), "We texted a code to").Count, Is.EqualTo(1), "said once");
        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(await Site.CodeAsync(Phone, 1));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in by SMS" }).ClickAsync();

        // The two-factor page says where codes go; the profile shows the confirmed phone, read-only.
        await Page.GotoAsync("Identity/Account/Manage/TwoFactorAuthentication");
        await Expect(Page.Locator("#sms-two-factor")).ToHaveTextAsync("When you log in, we text a code to +39 348 123 4567.");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Disable 2FA" })).ToBeVisibleAsync();
        await AssertAccessibleAsync("the two-factor page");
        await Page.GotoAsync("Identity/Account/Manage");
        await Expect(Page.Locator("#Input_PhoneNumber")).ToHaveValueAsync("+39 348 123 4567");
        await Expect(Page.Locator("#phone-help")).ToContainTextAsync("Confirmed by SMS.");

        // The stock page's POST, as the old form sent it: nothing changes.
        var response = await Page.APIRequest.PostAsync("Identity/Account/Manage", new() { Form = Page.APIRequest.CreateFormData().Set("Input.PhoneNumber", "+972 52 555 0009") });
        Assert.That(response.Status, Is.Not.EqualTo(302), "no handler saved a phone");

        // Two-factor still works: sign in with a texted code.
        await LogOutAsync();
        await LogInWithPasswordAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/Identity/Account/LoginWithSms"));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(await Site.CodeAsync(Phone, 2));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = $"Hello {Email}!" })).ToBeVisibleAsync();
    }

    [Test]
    public async Task SignIn_WithinTheCooldownAfterConfirmingThePhone_SaysACodeWasSentAMomentAgoAndCountsDown()
    {
        await StartAsync(useAddIdentity: false, "--Otp:SendGuard:Cooldown=00:00:30");
        await RegisterAndLogInAsync();
        await AddPhoneWithSmsTwoFactorAsync();
        await LogOutAsync();
        await LogInWithPasswordAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();

        var status = Page.Locator("#otp-status");
        await Expect(status).ToContainTextAsync(new Regex(@"A code was texted to this phone a moment ago\. You can ask for a new one in \d+ seconds?\."));
        var first = int.Parse(Regex.Match((await status.TextContentAsync())!, @"in (\d+) second").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(status).Not.ToContainTextAsync($"in {first} second", new() { Timeout = 3000 });
        Assert.That(await status.TextContentAsync(), Does.Not.Contain("Too many codes"));
    }

    [Test]
    public async Task CallMeInstead_BothSmsPages_CallTheCodeThroughTwilioAndItSignsIn()
    {
        // A route of AMM (SMS only) then Twilio (SMS, calls, WhatsApp): "Call me instead" appears once a code was texted,
        // and the call goes through Twilio; the texted code stays valid.
        await using var twilio = await OtpClients.Emulator.OtpEmulator.StartAsync();
        await StartAsync(
            useAddIdentity: false,
            "--Otp:Failover:0=Amm",
            "--Otp:Failover:1=Twilio",
            $"--Otp:Twilio:BaseAddress={twilio.BaseAddress}",
            $"--Otp:Twilio:AccountSid={twilio.Credentials.TwilioAccountSid}",
            $"--Otp:Twilio:AuthToken={twilio.Credentials.TwilioAuthToken}",
            $"--Otp:Twilio:ServiceSid={twilio.Credentials.TwilioServiceSid}");
        await RegisterAndLogInAsync();

        await Page.GotoAsync("Identity/Account/Manage/Phone");
        await Expect(Page.Locator("#call-me")).ToHaveCountAsync(0); // nothing sent yet
        await Page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("+39 348 123 4567");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Call me instead" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToHaveTextAsync("We are calling +39 348 123 4567: the call says your code.");
        await AssertAccessibleAsync("the phone page after a call");
        var call = await WaitForCallAsync(twilio, 1);
        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(call.Code);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToHaveTextAsync("Your phone number is confirmed.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in by SMS" }).ClickAsync();
        await LogOutAsync();

        await LogInWithPasswordAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Call me instead" }).ClickAsync();
        await Expect(Page.Locator("#otp-status")).ToHaveTextAsync("We are calling you: the call says your code.");
        var signInCall = await WaitForCallAsync(twilio, 2);
        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(signInCall.Code);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = $"Hello {Email}!" })).ToBeVisibleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Site.Emulator.Outbox.Messages.Select(m => m.Provider), Is.All.EqualTo("AMM"), "the texts went through AMM");
            Assert.That(twilio.Outbox.Messages.Select(m => m.Channel), Is.All.EqualTo(OtpChannel.Voice), "the calls through Twilio");
            Assert.That(call.Text, Does.StartWith("Your verification code is: ").And.Contains(", "), "spoken digit by digit");
        });
    }

    private static async Task<OtpClients.Emulator.OtpEmulatorMessage> WaitForCallAsync(OtpClients.Emulator.OtpEmulator emulator, int count)
    {
        for (var i = 0; i < 100 && emulator.Outbox.Messages.Count(m => m.Channel == OtpChannel.Voice) < count; i++)
        {
            await Task.Delay(100);
        }

        return emulator.Outbox.Messages.Where(m => m.Channel == OtpChannel.Voice).ElementAt(count - 1);
    }

    /// <summary>Adds <see cref="Phone"/> on "Phone and SMS", confirms it with the texted code, and turns SMS two-factor on.</summary>
    private async Task AddPhoneWithSmsTwoFactorAsync()
    {
        await Page.GotoAsync("Identity/Account/Manage/Phone");
        await Page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("+39 348 123 4567");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Text me a code" }).ClickAsync();
        await Page.GetByLabel("Code", new() { Exact = true }).FillAsync(await Site.CodeAsync(Phone, 1));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in by SMS" }).ClickAsync();
    }

    /// <summary>Registers <see cref="Email"/> with the template's pages, confirms the e-mail, and logs in.</summary>
    private async Task RegisterAndLogInAsync()
    {
        await Page.GotoAsync("Identity/Account/Register");
        await Page.GetByLabel("Email").FillAsync(Email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await Page.GetByLabel("Confirm Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Click here to confirm your account" }).ClickAsync();
        await Expect(Page.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();
        await LogInWithPasswordAsync();
    }

    [Test]
    public async Task SendCode_HostilePagePostsWithoutTheAntiforgeryToken_RefusedAndNothingTexted()
    {
        // What a page on another site can send from the victim's browser: a form POST to the texting handlers, without
        // the antiforgery token of the app's own form. Nor does a page load text anyone.
        startedSite = await TemplateAppSite.StartAsync(useAddIdentity: false);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Site.BaseAddress };
        using var form = new FormUrlEncodedContent([KeyValuePair.Create("Number", "+39 348 123 4567")]);

        using var manage = await http.PostAsync("Identity/Account/Manage/Phone?handler=SendCode", form);
        using var signIn = await http.PostAsync("Identity/Account/LoginWithSms?handler=Send", form);
        using var page = await http.GetAsync("Identity/Account/LoginWithSms");

        Assert.Multiple(() =>
        {
            Assert.That((int)manage.StatusCode, Is.EqualTo(400).Or.EqualTo(302), "the phone page's send: refused (no token), or sent to the login page (no account)");
            Assert.That((int)signIn.StatusCode, Is.EqualTo(400), "the sign-in page's send");
            Assert.That((int)page.StatusCode, Is.EqualTo(302), "the sign-in page without a password step first");
            Assert.That(page.Headers.Location?.ToString(), Does.Contain("/Identity/Account/Login"));
            Assert.That(Site.Emulator.Outbox.Messages, Is.Empty);
        });
    }
}
