using Microsoft.Extensions.DependencyInjection;
using OtpClients.Emulator;
using OtpClients.Identity;

namespace OtpClients.Tests.Identity;

/// <summary>Provider failures, the send guard, and privacy of the token provider's logs.</summary>
public sealed partial class OtpTokenProviderTests
{
    [Test]
    public async Task GenerateTwoFactorTokenAsync_ProviderDown_ThrowsProviderUnavailable()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("pam", Phone);
        Emulator.Faults.Add(new OtpEmulatorFault { Provider = "AMM", StatusCode = 503, Count = null });

        var ex = Assert.ThrowsAsync<OtpTokenProviderException>(() => identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Error.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(ex.Message, Does.StartWith("The one-time password could not be sent or checked: ProviderUnavailable"));
        });
    }

    [Test]
    public async Task TwoFactorSignInAsync_ProviderDownAtCheck_ThrowsAndDoesNotCountAFailure()
    {
        var identity = App();
        var id = await identity.CreateUserAsync("quinn", Phone);
        var code = await SignInToSecondFactorAsync(identity, "quinn");
        Emulator.Faults.Add(new OtpEmulatorFault { Provider = "AMM", StatusCode = 500, Count = null });

        var ex = Assert.ThrowsAsync<OtpTokenProviderException>(() => identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", code, false, false)));
        var failures = await identity.WithUserAsync(id, (users, user, _) => users.GetAccessFailedCountAsync(user));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Error.Code, Is.Not.EqualTo(OtpErrorCode.InvalidRequest));
            Assert.That(failures, Is.Zero, "an outage is not a wrong code: no lockout for it");
        });

        Emulator.Faults.Clear();
        var retried = await identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", code, false, false));
        Assert.That(retried.Succeeded, Is.True, "the session survived the failed check");
    }

    [Test]
    public async Task GenerateTwoFactorTokenAsync_GuardCooldown_ThrowsRateLimitedWithRetryAfter()
    {
        var identity = App(otp =>
        {
            otp.UseAmm(Emulator.ConfigureAmm);
            otp.UseSendGuard(g => g.Cooldown = TimeSpan.FromMinutes(1));
        });
        var id = await identity.CreateUserAsync("ray", Phone);
        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));

        var ex = Assert.ThrowsAsync<OtpTokenProviderException>(() => identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Error.Code, Is.EqualTo(OtpErrorCode.RateLimited));
            Assert.That(ex.Error.RetryAfter, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(Emulator.Outbox.Messages, Has.Count.EqualTo(1), "the refused send made no HTTP call");
        });
    }

    [Test]
    public async Task GenerateTwoFactorTokenAsync_ClientNameNotRegistered_ThrowsNamingTheSetting()
    {
        var identity = App(otp => otp.UseIp1(Emulator.ConfigureIp1), t => t.ClientName = "nope");
        var id = await identity.CreateUserAsync("sam", Phone);

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone")));

        Assert.That(ex!.Message, Does.Contain("OtpTokenProviderOptions.ClientName").And.Contain("nope"));
    }

    [Test]
    public async Task ValidateAsync_ClientNameOfAKeyedRegistration_SendsAndChecksThroughIt()
    {
        var identity = app = new IdentityApp(Emulator, otp => otp.UseIp1(Emulator.ConfigureIp1), t => t.ClientName = "sms", registration: "sms");
        var id = await identity.CreateUserAsync("uma", Phone);

        await identity.WithUserAsync(id, (users, user, _) => users.GenerateTwoFactorTokenAsync(user, "Phone"));
        var message = Emulator.Outbox.LastFor(Phone);
        var valid = await identity.WithUserAsync(id, (users, user, _) => users.VerifyTwoFactorTokenAsync(user, "Phone", message!.Code));

        Assert.Multiple(() =>
        {
            Assert.That(message!.Provider, Is.EqualTo("iP1"), "the keyed registration's provider sent it");
            Assert.That(valid, Is.True);
        });
    }

    [Test]
    public async Task Logs_OfAWholeFlow_HoldNoCodeAndNoNumber()
    {
        var identity = App();
        await identity.CreateUserAsync("tia", Phone);
        var code = await SignInToSecondFactorAsync(identity, "tia");
        await identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", Wrong(code), false, false));
        await identity.RequestAsync((_, signIn, _) => signIn.TwoFactorSignInAsync("Phone", code, false, false));

        var logs = identity.Logs.GetSnapshot();
        var refused = logs.Where(l => l.Id.Id == 1500).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(refused, Has.Length.EqualTo(1));
            Assert.That(refused[0].Message, Is.EqualTo("OTP token for TwoFactor refused: InvalidCode"));
            Assert.That(logs.Select(l => l.Message + " " + l.Exception), Has.None.Contain(code).And.None.Contain("3481234567"));
        });
    }
}
