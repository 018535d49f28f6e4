using Microsoft.Extensions.DependencyInjection;
using OtpClients.Guard;
using OtpClients.Identity;

namespace OtpClients.Tests.Identity;

/// <summary>
/// The review's findings on the Identity integration, each as the attack or the mistake it was: a code accepted for
/// another purpose's data, for the bare purpose, after the security stamp changed; a code texted to an unconfirmed
/// phone; per-IP rules that never applied; numbers stored in two spellings.
/// </summary>
public sealed partial class OtpTokenProviderTests
{
    [TestCase("Approve:pay 10 EUR to bob", "Approve:pay 9999 EUR to mallory", TestName = "VerifyUserTokenAsync_CodeForOtherPurposeData_IsRefused")]
    [TestCase("TwoFactor:x", "TwoFactor", TestName = "VerifyUserTokenAsync_CodeForPurposeWithDataUsedForTheBarePurpose_IsRefused")]
    [TestCase("TwoFactor", "TwoFactor:x", TestName = "VerifyUserTokenAsync_CodeForTheBarePurposeUsedWithData_IsRefused")]
    [TestCase("Approve:a", "Approve:A", TestName = "VerifyUserTokenAsync_PurposeDataDifferingInCase_IsRefused")]
    public async Task VerifyUserTokenAsync_CodeUsedForAnotherPurposeString_IsRefusedAndStillWorksForItsOwn(string generatedFor, string usedFor)
    {
        var identity = App();
        var id = await identity.CreateUserAsync("mia", Phone);
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateUserTokenAsync(user, "Phone", generatedFor));
        var code = Emulator.Outbox.LastCodeFor(Phone)!;

        var other = await identity.WithUserAsync(id, (users, user, _) => users.VerifyUserTokenAsync(user, "Phone", usedFor, code));
        var own = await identity.WithUserAsync(id, (users, user, _) => users.VerifyUserTokenAsync(user, "Phone", generatedFor, code));

        Assert.Multiple(() =>
        {
            Assert.That(other, Is.False, "Identity's own PhoneNumberTokenProvider refuses it too");
            Assert.That(own, Is.True, "the refusal spent none of the code's attempts");
        });
    }

    [Test]
    public async Task VerifyTwoFactorTokenAsync_SecurityStampChangedSinceTheCode_IsRefused()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("nia", Phone);
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var code = Emulator.Outbox.LastCodeFor(Phone)!;
        await identity.WithUserAsync(id, async (users, user, _) => (await users.UpdateSecurityStampAsync(user)).Succeeded); // e.g. the password was changed, or "sign out everywhere"

        var valid = await identity.WithUserAsync(id, (users, user, _) => users.VerifyTwoFactorTokenAsync(user, "Phone", code));

        Assert.That(valid, Is.False);
    }

    [Test]
    public async Task VerifyTwoFactorTokenAsync_PhoneChangedSinceTheCode_IsRefused()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("ola", Phone);
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var code = Emulator.Outbox.LastCodeFor(Phone)!;
        await identity.WithUserAsync(id, async (users, user, _) =>
        {
            user.PhoneNumber = OtherPhone; // the store's value changed behind the code (an admin tool, a migration)
            return (await users.UpdateAsync(user)).Succeeded;
        });

        var valid = await identity.WithUserAsync(id, (users, user, _) => users.VerifyTwoFactorTokenAsync(user, "Phone", code));

        Assert.That(valid, Is.False);
    }

    [TestCase("ResetPassword")]
    [TestCase("TwoFactor")]
    [TestCase("Approve:pay 10 EUR")]
    public async Task GenerateUserTokenAsync_UnconfirmedPhone_IsRefusedAndNothingIsSent(string purpose)
    {
        var identity = App();
        var id = await identity.CreateUserAsync("pia", twoFactor: false);
        await identity.WithUserAsync(id, async (users, user, _) => (await users.SetPhoneNumberAsync(user, Phone)).Succeeded);

        var ex = Assert.ThrowsAsync<OtpTokenProviderException>(() => identity.WithUserAsync(id, (users, user, _) => users.GenerateUserTokenAsync(user, "Phone", purpose)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Error.Code, Is.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(ex.Message, Does.Contain("not confirmed").And.Contain("AllowUnconfirmedPhone"));
            Assert.That(Emulator.Outbox.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task GenerateUserTokenAsync_UnconfirmedPhoneWhenAllowed_SendsAndVerifies()
    {
        var identity = App(tokens: o => o.AllowUnconfirmedPhone = true);
        var id = await identity.CreateUserAsync("ray", twoFactor: false);
        await identity.WithUserAsync(id, async (users, user, _) => (await users.SetPhoneNumberAsync(user, Phone)).Succeeded);

        await identity.WithUserAsync(id, (users, user, _) => users.GenerateUserTokenAsync(user, "Phone", "ResetPassword"));
        var valid = await identity.WithUserAsync(id, (users, user, _) => users.VerifyUserTokenAsync(user, "Phone", "ResetPassword", Emulator.Outbox.LastCodeFor(Phone)!));

        Assert.That(valid, Is.True);
    }

    [Test]
    public async Task GenerateChangePhoneNumberTokenAsync_UnconfirmedNewNumber_IsSentBecauseThatIsHowItGetsConfirmed()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("sam", twoFactor: false);

        await identity.WithUserAsync(id, (users, user, _) => users.GenerateChangePhoneNumberTokenAsync(user, Phone));
        var changed = await identity.WithUserAsync(id, async (users, user, _) => (await users.ChangePhoneNumberAsync(user, Phone, Emulator.Outbox.LastCodeFor(Phone)!)).Succeeded);

        Assert.That(changed, Is.True);
    }

    /// <summary>On main no IP was passed unless the app wrote a lambda, so the guard's per-IP budget never applied to Identity.</summary>
    [Test]
    public async Task GenerateTwoFactorTokenAsync_ByDefault_PassesTheRequestsRemoteAddressToTheGuard()
    {
        var identity = App(otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseSendGuard(g => { g.MaxSendsPerIp = 1; g.AllowedRegions.Add("IT"); });
        });
        var first = await identity.CreateUserAsync("tia", Phone);
        var second = await identity.CreateUserAsync("uma", OtherPhone);
        await identity.WithUserAsync(first, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));

        var ex = Assert.ThrowsAsync<OtpTokenProviderException>(() => identity.WithUserAsync(second, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone")));
        identity.ClientIp = System.Net.IPAddress.Parse("192.0.2.44");
        await identity.WithUserAsync(second, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Error.ProviderCode, Is.EqualTo(OtpGuardRules.Ip), "the same browser IP asked twice");
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(2), "another IP has its own budget");
            Assert.That(identity.Logs.GetSnapshot().Where(l => l.Id.Id == 1506), Is.Empty);
        });
    }

    [Test]
    public void AddOtpTokenProvider_ClientIpTurnedOffWithPerIpRulesOn_WarnsAtStart()
    {
        var identity = App(tokens: o => o.ClientIpAddress = null);

        _ = identity.Services.GetService(typeof(Microsoft.Extensions.Options.IOptions<OtpTokenProviderOptions>)) is Microsoft.Extensions.Options.IOptions<OtpTokenProviderOptions> options ? options.Value : null;

        Assert.That(identity.Logs.GetSnapshot().Where(l => l.Id.Id == 1506).Select(l => l.Message).ToArray(), Has.Length.EqualTo(1).And.Some.Contains("ClientIpAddress"));
    }

    [Test]
    public void Normalize_TwoSpellingsOfOneNumber_AreOneE164AndControlCharactersAreRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OtpPhoneNumbers.Normalize("00972 52 555 0001"), Is.EqualTo("+972525550001"));
            Assert.That(OtpPhoneNumbers.Normalize("+972-52-555-0001"), Is.EqualTo("+972525550001"));
            Assert.That(OtpPhoneNumbers.Normalize("052-555-0001", "IL"), Is.EqualTo("+972525550001"));
            Assert.That(OtpPhoneNumbers.TryNormalize("+\uFF19\uFF17\uFF12\n52\t555\u2028 0001", null, out _, out var error), Is.False);
            Assert.That(error, Does.Contain("control"));
            Assert.That(() => OtpPhoneNumbers.Normalize("+39 (0)6 1234 5678"), Throws.TypeOf<FormatException>().With.Message.Contains("keep that 0"));
        });
    }
}
