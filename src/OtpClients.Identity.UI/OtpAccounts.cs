using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OtpClients.Identity.UI;

/// <summary>What the SMS pages read of a user, at one moment.</summary>
/// <param name="PhoneNumber">The stored phone number (E.164 when set through the pages), or <see langword="null"/>.</param>
/// <param name="PhoneConfirmed">Whether the phone number is confirmed.</param>
/// <param name="TwoFactorEnabled">Whether two-factor sign-in is on.</param>
/// <param name="HasAuthenticator">Whether an authenticator app is set up.</param>
/// <param name="RecoveryCodesLeft">How many recovery codes are left.</param>
internal sealed record OtpAccountState(string? PhoneNumber, bool PhoneConfirmed, bool TwoFactorEnabled, bool HasAuthenticator, int RecoveryCodesLeft)
{
    /// <summary>Gets whether sign-in asks for a code texted to the phone.</summary>
    public bool SmsTwoFactor => TwoFactorEnabled && PhoneConfirmed && PhoneNumber is not null;
}

/// <summary>
/// The SMS pages' view of Identity, without the user type (the pages are compiled once, for any <c>TUser</c>): each
/// member forwards to <see cref="UserManager{TUser}"/> and <see cref="SignInManager{TUser}"/>. A user is passed around as
/// <see cref="object"/> and is always one this class returned.
/// </summary>
internal abstract class OtpAccounts
{
    public abstract Task<object?> GetUserAsync(ClaimsPrincipal principal);

    public abstract Task<object?> GetTwoFactorUserAsync();

    public abstract Task<OtpAccountState> GetStateAsync(object user);

    public abstract Task SendPhoneCodeAsync(object user, string e164);

    /// <summary>Gets a value indicating whether a provider of the registration can call the code ("Call me instead").</summary>
    public abstract bool OffersVoice { get; }

    /// <summary>Gets the user's name, as the stock Profile page shows it.</summary>
    public abstract Task<string?> GetUserNameAsync(object user);

    /// <summary>Tells whether this browser skips two-factor sign-in ("remember this machine").</summary>
    public abstract Task<bool> IsMachineRememberedAsync(object user);

    /// <summary>Makes this browser ask for the second factor again.</summary>
    public abstract Task ForgetMachineAsync();

    /// <summary>Tells whether the account has a password (not only external logins).</summary>
    public abstract Task<bool> HasPasswordAsync(object user);

    /// <summary>Checks the user's password, counting a wrong one toward lockout.</summary>
    public abstract Task<SignInResult> CheckPasswordAsync(object user, string password);

    public abstract Task<IdentityResult> ConfirmPhoneAsync(object user, string e164, string code);

    public abstract Task<IdentityResult> RemovePhoneAsync(object user);

    public abstract Task<IReadOnlyList<string>> TurnOnSmsTwoFactorAsync(object user);

    public abstract Task<bool> CanSignInBySmsAsync(object user);

    public abstract Task<bool> CanSignInByAuthenticatorAsync(object user);

    public abstract Task SendSignInCodeAsync(object user);

    public abstract Task<SignInResult> SignInWithCodeAsync(string code, bool rememberMe, bool rememberMachine);
}

/// <inheritdoc />
internal sealed class OtpAccounts<TUser>(UserManager<TUser> users, SignInManager<TUser> signIn, IOptions<OtpIdentityUIOptions> options, IOptions<OtpTokenProviderOptions> tokenOptions, IServiceProvider services) : OtpAccounts
    where TUser : class
{
    private readonly string provider = options.Value.ProviderName;

    public override async Task<object?> GetUserAsync(ClaimsPrincipal principal) => await users.GetUserAsync(principal).ConfigureAwait(false);

    public override async Task<object?> GetTwoFactorUserAsync() => await signIn.GetTwoFactorAuthenticationUserAsync().ConfigureAwait(false);

    public override async Task<OtpAccountState> GetStateAsync(object user)
    {
        var u = (TUser)user;
        return new OtpAccountState(
            await users.GetPhoneNumberAsync(u).ConfigureAwait(false),
            await users.IsPhoneNumberConfirmedAsync(u).ConfigureAwait(false),
            await users.GetTwoFactorEnabledAsync(u).ConfigureAwait(false),
            !string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(u).ConfigureAwait(false)),
            await users.CountRecoveryCodesAsync(u).ConfigureAwait(false));
    }

    public override Task SendPhoneCodeAsync(object user, string e164) => users.GenerateChangePhoneNumberTokenAsync((TUser)user, e164);

    public override Task<bool> HasPasswordAsync(object user) => users.HasPasswordAsync((TUser)user);

    public override bool OffersVoice =>
        (tokenOptions.Value.ClientName is { } name ? services.GetKeyedService<IOtpVerificationSessions>(name) : services.GetService<IOtpVerificationSessions>())
            ?.Channels.Contains(OtpChannel.Voice) == true;

    public override Task<string?> GetUserNameAsync(object user) => users.GetUserNameAsync((TUser)user);

    public override Task<bool> IsMachineRememberedAsync(object user) => signIn.IsTwoFactorClientRememberedAsync((TUser)user);

    public override Task ForgetMachineAsync() => signIn.ForgetTwoFactorClientAsync();

    public override Task<SignInResult> CheckPasswordAsync(object user, string password) =>
        signIn.CheckPasswordSignInAsync((TUser)user, password, lockoutOnFailure: true);

    public override async Task<IdentityResult> ConfirmPhoneAsync(object user, string e164, string code)
    {
        var result = await users.ChangePhoneNumberAsync((TUser)user, e164, code).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await signIn.RefreshSignInAsync((TUser)user).ConfigureAwait(false); // the security stamp changed
        }

        return result;
    }

    public override async Task<IdentityResult> RemovePhoneAsync(object user)
    {
        var result = await users.SetPhoneNumberAsync((TUser)user, null).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await signIn.RefreshSignInAsync((TUser)user).ConfigureAwait(false);
        }

        return result;
    }

    public override async Task<IReadOnlyList<string>> TurnOnSmsTwoFactorAsync(object user)
    {
        var u = (TUser)user;
        var result = await users.SetTwoFactorEnabledAsync(u, true).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Identity could not turn two-factor sign-in on: " + string.Join(" ", result.Errors.Select(e => e.Code)));
        }

        IReadOnlyList<string> codes = [];
        var count = options.Value.RecoveryCodeCount;
        if (count > 0 && await users.CountRecoveryCodesAsync(u).ConfigureAwait(false) == 0)
        {
            codes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(u, count).ConfigureAwait(false) ?? []];
        }

        await signIn.RefreshSignInAsync(u).ConfigureAwait(false);
        return codes;
    }

    public override async Task<bool> CanSignInBySmsAsync(object user) =>
        (await users.GetValidTwoFactorProvidersAsync((TUser)user).ConfigureAwait(false)).Contains(provider);

    public override async Task<bool> CanSignInByAuthenticatorAsync(object user) =>
        (await users.GetValidTwoFactorProvidersAsync((TUser)user).ConfigureAwait(false)).Contains(users.Options.Tokens.AuthenticatorTokenProvider);

    public override Task SendSignInCodeAsync(object user) => users.GenerateTwoFactorTokenAsync((TUser)user, provider);

    public override Task<SignInResult> SignInWithCodeAsync(string code, bool rememberMe, bool rememberMachine) =>
        signIn.TwoFactorSignInAsync(provider, code, rememberMe, rememberMachine);
}
