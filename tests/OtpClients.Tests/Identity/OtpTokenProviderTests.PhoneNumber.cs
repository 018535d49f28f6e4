using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Identity;

namespace OtpClients.Tests.Identity;

/// <summary>Phone confirmation: GenerateChangePhoneNumberTokenAsync / ChangePhoneNumberAsync through the provider.</summary>
public sealed partial class OtpTokenProviderTests
{
    [Test]
    public async Task ChangePhoneNumberAsync_CodeSentToTheNewNumber_ChangesAndConfirmsIt()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("lee", twoFactor: false);

        var token = await identity.WithUserAsync(id, (users, user, _) => users.GenerateChangePhoneNumberTokenAsync(user, Phone));
        var code = Emulator.Outbox.LastCodeFor(Phone);
        Assert.That(code, Is.Not.Null);
        var changed = await identity.WithUserAsync(id, (users, user, _) => users.ChangePhoneNumberAsync(user, Phone, code!));
        var (phone, confirmed) = await identity.WithUserAsync(id, async (users, user, _) => (await users.GetPhoneNumberAsync(user), await users.IsPhoneNumberConfirmedAsync(user)));

        Assert.Multiple(() =>
        {
            Assert.That(token, Is.Empty);
            Assert.That(changed.Succeeded, Is.True, string.Join(", ", changed.Errors.Select(e => e.Code)));
            Assert.That(phone, Is.EqualTo(Phone));
            Assert.That(confirmed, Is.True);
        });
    }

    [Test]
    public async Task ChangePhoneNumberAsync_CodeOfAnotherNumber_RefusedAndPhoneUnchanged()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("max", twoFactor: false);
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateChangePhoneNumberTokenAsync(user, Phone));
        var code = Emulator.Outbox.LastCodeFor(Phone)!;

        // The user received a code on their own phone and claims it confirms someone else's number.
        var changed = await identity.WithUserAsync(id, (users, user, _) => users.ChangePhoneNumberAsync(user, OtherPhone, code));
        var phone = await identity.WithUserAsync(id, (users, user, _) => users.GetPhoneNumberAsync(user));

        Assert.Multiple(() =>
        {
            Assert.That(changed.Succeeded, Is.False);
            Assert.That(phone, Is.Null);
            Assert.That(Emulator.Outbox.Messages.Select(m => m.PhoneNumber), Has.None.Contain("7654321"), "nothing was sent to the other number");
        });
    }

    [Test]
    public async Task GenerateChangePhoneNumberTokenAsync_NotAPhoneNumber_ThrowsInvalidRequest()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("ned", twoFactor: false);

        var ex = Assert.ThrowsAsync<OtpTokenProviderException>(() => identity.WithUserAsync(id, (users, user, _) => users.GenerateChangePhoneNumberTokenAsync(user, "call me")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Error.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(ex.Message, Does.Contain("international form"));
            Assert.That(Emulator.Outbox.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task GenerateTwoFactorTokenAsync_NewCode_ReplacesThePrevious()
    {
        // The send guard is on by default for sessions; the app's clock is the system's, so its cooldown is set aside here.
        var identity = App(otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseSendGuard(g => g.Cooldown = TimeSpan.Zero);
        });
        var id = await identity.CreateUserAsync("oz", Phone);
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var first = Emulator.Outbox.LastCodeFor(Phone)!;
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var second = Emulator.Outbox.LastCodeFor(Phone)!;

        var valid = await identity.WithUserAsync(id, (users, user, _) => users.VerifyTwoFactorTokenAsync(user, "Phone", second));

        Assert.That(valid, Is.True);
        Assume.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public void AddOtpTokenProvider_ReplacesIdentitysPhoneProviderAndHandlesPhoneChanges()
    {
        var identity = App();

        var options = identity.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.Tokens.ProviderMap["Phone"].ProviderType, Is.EqualTo(typeof(OtpTokenProvider<IdentityUser>)));
            Assert.That(options.Tokens.ChangePhoneNumberTokenProvider, Is.EqualTo("Phone"));
        });
    }

    [Test]
    public async Task TwoFactorSignInAsync_NationalNumberWithDefaultRegion_CodeGoesToTheInternationalForm()
    {
        var identity = App(tokens: t => t.DefaultRegion = "IT");
        await identity.CreateUserAsync("pia", "348 123 4567");

        var code = await SignInToSecondFactorAsync(identity, "pia");
        var signedIn = await identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", code, isPersistent: false, rememberClient: false));

        Assert.Multiple(() =>
        {
            Assert.That(signedIn.Succeeded, Is.True, signedIn.ToString());
            Assert.That(Emulator.Outbox.Messages.Select(m => m.PhoneNumber), Is.All.EqualTo(Phone), "the code went to +39 348 123 4567");
        });
    }

    [Test]
    public async Task ChangePhoneNumberAsync_NationalNumberWithDefaultRegion_ChangesIt()
    {
        var identity = App(tokens: t => t.DefaultRegion = "it");
        var id = await identity.CreateUserAsync("quinn", twoFactor: false);

        await identity.WithUserAsync(id, (users, user, _) => users.GenerateChangePhoneNumberTokenAsync(user, "348-1234567"));
        var code = Emulator.Outbox.LastCodeFor(Phone);
        var changed = await identity.WithUserAsync(id, (users, user, _) => users.ChangePhoneNumberAsync(user, "348-1234567", code!));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Null, "the code went to the international form of the national number");
            Assert.That(changed.Succeeded, Is.True, string.Join(", ", changed.Errors.Select(e => e.Code)));
        });
    }

    [Test]
    public async Task GenerateTwoFactorTokenAsync_NationalNumberWithoutDefaultRegion_CannotGetCodesAndTheMessageSaysWhy()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("rio", "348 123 4567");

        var can = await identity.WithUserAsync(id, (users, user, _) => users.GetValidTwoFactorProvidersAsync(user));
        var ex = Assert.ThrowsAsync<OtpTokenProviderException>(() => identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone")));

        Assert.Multiple(() =>
        {
            Assert.That(can, Does.Not.Contain("Phone"), "no codes for a number that cannot be read");
            Assert.That(ex!.Error.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(ex.Message, Does.Contain("OtpTokenProviderOptions.DefaultRegion").And.Not.Contains("4567"));
            Assert.That(Emulator.Outbox.Messages, Is.Empty);
        });
    }

    [TestCase("Italy")]
    [TestCase("XX")]
    public void AddOtpTokenProvider_UnknownDefaultRegion_FailsNamingTheSetting(string region)
    {
        var identity = App(tokens: t => t.DefaultRegion = region);

        Assert.That(
            () => identity.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OtpTokenProviderOptions>>().Value,
            Throws.TypeOf<Microsoft.Extensions.Options.OptionsValidationException>().With.Message.Contains("OtpTokenProviderOptions.DefaultRegion"));
    }
}
