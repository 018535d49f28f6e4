using Microsoft.Extensions.DependencyInjection;
using OtpClients.Identity;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Identity;

/// <summary>
/// The OTP token provider in a stock Identity (UserManager, SignInManager, EF Core on SQLite) over the emulator's AMM:
/// two-factor sign-in, phone confirmation, lockout, expiry, provider failures, and what reaches logs.
/// </summary>
public sealed partial class OtpTokenProviderTests : EmulatorFixture
{
    private const string Phone = "+393481234567";
    private const string OtherPhone = "+393487654321";

    private IdentityApp? app;

    [TearDown]
    public async Task DisposeAppAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
            app = null;
        }
    }

    private IdentityApp App(Action<OtpClientBuilder>? otp = null, Action<OtpTokenProviderOptions>? tokens = null) =>
        app = new IdentityApp(Emulator, otp, tokens);

    private static string Wrong(string code) => code[0] == '9' ? "1" + code[1..] : "9" + code[1..];

    /// <summary>Password sign-in that stops at the second factor, then the code is requested: what a login page does.</summary>
    private async Task<string> SignInToSecondFactorAsync(IdentityApp identity, string userName)
    {
        var first = await identity.RequestAsync((_, signIn, _) => signIn.PasswordSignInAsync(userName, IdentityApp.Password, isPersistent: false, lockoutOnFailure: true));
        Assert.That(first.RequiresTwoFactor, Is.True, first.ToString());
        var token = await identity.RequestAsync(async (users, signIn, _) =>
        {
            var user = await signIn.GetTwoFactorAuthenticationUserAsync();
            Assert.That(user, Is.Not.Null, "the two-factor cookie names the user");
            Assert.That(await users.GetValidTwoFactorProvidersAsync(user!), Does.Contain("Phone"));
            return await users.GenerateTwoFactorTokenAsync(user!, "Phone");
        });
        Assert.That(token, Is.Empty, "there is nothing for the app to text: the provider did");
        var code = Emulator.Outbox.LastCodeFor(Phone);
        Assert.That(code, Is.Not.Null.And.Not.Empty, "the provider texted a code to the user's confirmed phone");
        return code!;
    }

    [Test]
    public async Task TwoFactorSignInAsync_CodeFromTheSms_SucceedsOnce()
    {
        var identity = App();
        await identity.CreateUserAsync("ada", Phone);
        var code = await SignInToSecondFactorAsync(identity, "ada");

        var signedIn = await identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", code, isPersistent: false, rememberClient: false));

        Assert.Multiple(() =>
        {
            Assert.That(signedIn.Succeeded, Is.True, signedIn.ToString());
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task GenerateTwoFactorTokenAsync_AgainWhenTheSmsDidNotCome_ResendsTheSessionThroughTheNextProvider()
    {
        var identity = App(otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseIp1(Emulator.ConfigureIp1);
            otp.UseFailover("AMM", "iP1");
            otp.UseSendGuard(g => g.Cooldown = TimeSpan.Zero); // on by default for sessions; the app's clock is the system's
        });
        var userId = await identity.CreateUserAsync("grace", Phone);
        Emulator.Delivery.Drop("AMM");
        await identity.WithUserAsync(userId, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var first = await identity.WithUserAsync(userId, (users, user, _) => users.GetAuthenticationTokenAsync(user, "[OtpClients]", "TwoFactor"));

        var sent = await identity.WithUserAsync(userId, async (users, user, activity) => { await users.GenerateTwoFactorTokenAsync(user, "Phone"); return activity.LastSend!; });
        var second = await identity.WithUserAsync(userId, (users, user, _) => users.GetAuthenticationTokenAsync(user, "[OtpClients]", "TwoFactor"));
        var code = Emulator.Outbox.LastDeliveredFor(Phone)!.Code;
        var verified = await identity.WithUserAsync(userId, (users, user, _) => users.VerifyTwoFactorTokenAsync(user, "Phone", code));

        Assert.Multiple(() =>
        {
            Assert.That(Emulator.Outbox.Messages.Select(m => m.Provider), Is.EqualTo(new[] { "AMM", "iP1" }));
            Assert.That(sent.ProviderName, Is.EqualTo("iP1"));
            Assert.That(second, Is.EqualTo(first), "the same session");
            Assert.That(verified, Is.True);
        });
    }

    [Test]
    public async Task TwoFactorSignInAsync_WrongCodesUntilLockout_LockedOutAndRightCodeNoLongerWorks()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("bob", Phone);
        var code = await SignInToSecondFactorAsync(identity, "bob");

        var first = await identity.RequestAsync(async (_, signIn, activity) => (await signIn.TwoFactorSignInAsync("Phone", Wrong(code), false, false), activity.LastCheck!.Status));
        var second = await identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", Wrong(code), false, false));
        var third = await identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", Wrong(code), false, false));
        var right = await identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", code, false, false));

        Assert.Multiple(() =>
        {
            Assert.That(first.Item1.Succeeded, Is.False);
            Assert.That(first.Item2, Is.EqualTo(OtpVerificationStatus.InvalidCode), "the reason the app can log");
            Assert.That(second.Succeeded, Is.False);
            Assert.That(third.IsLockedOut, Is.True, "Identity's lockout counts wrong codes (3 allowed here)");
            Assert.That(right.Succeeded, Is.False, "a locked-out user cannot sign in, even with the right code");
        });
        var lockedOut = await identity.WithUserAsync(id, async (users, user, _) => await users.IsLockedOutAsync(user));
        Assert.That(lockedOut, Is.True);
    }

    [Test]
    public async Task VerifyTwoFactorTokenAsync_ExpiredCode_FalseWithReasonExpiredAndSessionGone()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("cy", Phone);
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var code = Emulator.Outbox.LastCodeFor(Phone)!;
        Clock.Advance(TimeSpan.FromHours(1));

        var (valid, status, kept) = await identity.WithUserAsync(id, async (users, user, activity) =>
            (await users.VerifyTwoFactorTokenAsync(user, "Phone", code), activity.LastCheck?.Status, await users.GetAuthenticationTokenAsync(user, "[OtpClients]", "TwoFactor")));

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.False);
            Assert.That(status, Is.EqualTo(OtpVerificationStatus.Expired));
            Assert.That(kept, Is.Null, "a code that can never work is forgotten: the user asks for a new one");
        });
    }

    [Test]
    public async Task GenerateTwoFactorTokenAsync_KeepsOnlyAnOpaqueIdServerSide()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("dee", Phone);

        var stored = await identity.WithUserAsync(id, async (users, user, activity) =>
        {
            await users.GenerateTwoFactorTokenAsync(user, "Phone");
            Assert.That(activity.LastSend!.IsSuccess, Is.True);
            return await users.GetAuthenticationTokenAsync(user, "[OtpClients]", "TwoFactor");
        });
        var code = Emulator.Outbox.LastCodeFor(Phone)!;

        Assert.Multiple(() =>
        {
            Assert.That(stored, Does.Match("^[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{16}$"), "the verification session's id and a salted tag of its number");
            Assert.That(stored, Does.Not.Contain(code));
            Assert.That(stored, Does.Not.Contain("3481234567"));
        });
    }

    [Test]
    public async Task VerifyTwoFactorTokenAsync_NoCodeSent_FalseNotFoundWithoutHttp()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("eve", Phone);

        var (valid, status) = await identity.WithUserAsync(id, async (users, user, activity) =>
            (await users.VerifyTwoFactorTokenAsync(user, "Phone", "123456"), activity.LastCheck?.Status));

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.False);
            Assert.That(status, Is.EqualTo(OtpVerificationStatus.NotFound));
            Assert.That(Emulator.Outbox.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task VerifyTwoFactorTokenAsync_CodeWithSpacesAndDashes_Verified()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("fay", Phone);
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var code = Emulator.Outbox.LastCodeFor(Phone)!;
        var typed = " " + code[..2] + " - " + code[2..] + " ";

        var valid = await identity.WithUserAsync(id, (users, user, _) => users.VerifyTwoFactorTokenAsync(user, "Phone", typed));

        Assert.That(valid, Is.True);
    }

    [Test]
    public async Task CanGenerateTwoFactorTokenAsync_RequiresAConfirmedInternationalPhone()
    {
        var identity = App();
        var confirmed = await identity.CreateUserAsync("gil", Phone);
        var none = await identity.CreateUserAsync("hal");
        var unconfirmed = await identity.CreateUserAsync("ivy");
        await identity.WithUserAsync(unconfirmed, (users, user, _) => users.SetPhoneNumberAsync(user, Phone));
        var local = await identity.CreateUserAsync("jo", "0501234567");

        async Task<bool> CanAsync(string id) => await identity.WithUserAsync(id, async (users, user, _) => (await users.GetValidTwoFactorProvidersAsync(user)).Contains("Phone"));

        Assert.Multiple(async () =>
        {
            Assert.That(await CanAsync(confirmed), Is.True);
            Assert.That(await CanAsync(none), Is.False);
            Assert.That(await CanAsync(unconfirmed), Is.False);
            Assert.That(await CanAsync(local), Is.False, "a number without its country cannot be texted safely");
        });
    }

    [Test]
    public async Task GenerateTwoFactorTokenAsync_UnconfirmedPhone_ThrowsInvalidRequestAndSendsNothing()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("kim");
        await identity.WithUserAsync(id, (users, user, _) => users.SetPhoneNumberAsync(user, Phone));

        var ex = Assert.ThrowsAsync<OtpTokenProviderException>(() => identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Error.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(ex.Message, Does.Contain("not confirmed"));
            Assert.That(Emulator.Outbox.Messages, Is.Empty);
        });
    }
}
