using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace OtpClients.Identity.UI.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// "Phone and SMS": add a phone and confirm it with a texted code (<c>GenerateChangePhoneNumberTokenAsync</c>, then
/// <c>ChangePhoneNumberAsync</c>, which stores the E.164 form confirmed), send a new code, change or remove it, and turn
/// SMS two-factor sign-in on with recovery codes. Every write is a POST, answered by a redirect (a reload never texts
/// again); the number waiting for its code is kept in TempData, which ASP.NET Core protects.
/// </summary>
[Authorize]
internal sealed class PhoneModel(OtpAccounts accounts, OtpTokenActivity activity, IOptions<OtpTokenProviderOptions> tokenOptions) : PageModel
{
    private const string PendingKey = "OtpClients.PendingPhone";
    private const string RecoveryCodesKey = "OtpClients.RecoveryCodes";

    /// <summary>Gets or sets the number the user typed.</summary>
    [BindProperty]
    public string? Number { get; set; }

    /// <summary>Gets or sets the password the user typed to change the phone that two-factor sign-in texts.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Gets or sets the code the user typed.</summary>
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>Gets or sets the outcome of the last action, shown once.</summary>
    [TempData(Key = "OtpClients.StatusMessage")]
    public string? StatusMessage { get; set; }

    /// <summary>Gets the error of this request, next to the field it concerns.</summary>
    public string? Error { get; private set; }

    /// <summary>Gets the error about the password, next to its field.</summary>
    public string? PasswordError { get; private set; }

    /// <summary>Gets the user's phone and two-factor state.</summary>
    public OtpAccountState State { get; private set; } = new(null, false, false, false, 0);

    /// <summary>Gets the hint under the number field.</summary>
    public string NumberHint { get; private set; } = OtpUIText.PhoneHint(null);

    /// <summary>
    /// Gets the number a code was texted to and not yet confirmed, as the user can read it (<c>+39 348 123 4567</c>), or
    /// <see langword="null"/>. Not masked: its owner just typed it and must be able to spot a typo.
    /// </summary>
    public string? PendingPhone { get; private set; }

    /// <summary>Gets the recovery codes made when two-factor sign-in was turned on, shown once.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await accounts.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await LoadAsync(user);
        RecoveryCodes = TempData[RecoveryCodesKey] as string[] ?? [];
        return Page();
    }

    public async Task<IActionResult> OnPostSendCodeAsync()
    {
        var user = await accounts.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!OtpPhoneNumbers.TryNormalize(Number, tokenOptions.Value.DefaultRegion, out var e164, out var invalid))
        {
            Error = OtpUIText.PhoneError(invalid, tokenOptions.Value.DefaultRegion);
            await LoadAsync(user);
            return Page();
        }

        var state = await accounts.GetStateAsync(user);
        if (state.PhoneConfirmed && state.PhoneNumber == e164)
        {
            Error = "This is already your confirmed phone number.";
            await LoadAsync(user);
            return Page();
        }

        if (state.SmsTwoFactor && await PasswordProblemAsync(user) is { } problem)
        {
            // Two-factor sign-in texts this phone: whoever holds only the sign-in cookie must not move it to theirs.
            PasswordError = problem;
            await LoadAsync(user);
            return Page();
        }

        try
        {
            await accounts.SendPhoneCodeAsync(user, e164);
        }
        catch (OtpTokenProviderException ex)
        {
            Error = OtpUIText.Describe(ex.Error);
            await LoadAsync(user);
            return Page();
        }

        TempData[PendingKey] = e164;
        StatusMessage = $"We texted a code to {Readable(e164)}.";
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostResendAsync() =>
        SendAgainAsync(null, _ => "We sent a new code.", string.Empty); // the same session: sent again, through another provider when there is one

    /// <summary>"Call me instead": the pending number's next code by a voice call, through a provider of the route that calls.</summary>
    public Task<IActionResult> OnPostCallAsync() =>
        SendAgainAsync(OtpChannel.Voice, pending => $"We are calling {Readable(pending)}: the call says your code.", "We could not call you. ");

    /// <summary>A new code for the pending number (through <paramref name="channel"/> when set), and what to tell the user.</summary>
    private async Task<IActionResult> SendAgainAsync(OtpChannel? channel, Func<string, string> done, string failed)
    {
        var user = await accounts.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (TempData.Peek(PendingKey) is not string pending)
        {
            return RedirectToPage();
        }

        try
        {
            activity.NextChannel = channel;
            await accounts.SendPhoneCodeAsync(user, pending);
            StatusMessage = done(pending);
        }
        catch (OtpTokenProviderException ex)
        {
            StatusMessage = failed + OtpUIText.Describe(ex.Error);
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        var user = await accounts.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (TempData.Peek(PendingKey) is not string pending)
        {
            return RedirectToPage();
        }

        try
        {
            var changed = await accounts.ConfirmPhoneAsync(user, pending, Code?.Trim() ?? string.Empty);
            if (!changed.Succeeded)
            {
                Error = OtpUIText.Describe(activity.LastCheck?.Status);
                await LoadAsync(user);
                return Page();
            }
        }
        catch (OtpTokenProviderException ex)
        {
            Error = "We could not check your code. " + OtpUIText.Describe(ex.Error);
            await LoadAsync(user);
            return Page();
        }

        TempData.Remove(PendingKey);
        StatusMessage = "Your phone number is confirmed.";
        return RedirectToPage();
    }

    /// <summary>Gets a value indicating whether a provider of the route can call the code ("Call me instead").</summary>
    public bool OffersVoice => accounts.OffersVoice;

    public IActionResult OnPostCancel()
    {
        TempData.Remove(PendingKey);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync()
    {
        var user = await accounts.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var state = await accounts.GetStateAsync(user);
        if (state.SmsTwoFactor && !state.HasAuthenticator)
        {
            StatusMessage = "Two-factor sign-in texts its codes to this phone. Turn two-factor sign-in off first, or set up an authenticator app.";
            return RedirectToPage();
        }

        var removed = await accounts.RemovePhoneAsync(user);
        StatusMessage = removed.Succeeded ? "Your phone number is removed." : "Your phone number could not be removed.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostTurnOnAsync()
    {
        var user = await accounts.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var state = await accounts.GetStateAsync(user);
        if (!state.PhoneConfirmed || state.PhoneNumber is null)
        {
            StatusMessage = "Confirm a phone number first.";
            return RedirectToPage();
        }

        var codes = await accounts.TurnOnSmsTwoFactorAsync(user);
        if (codes.Count > 0)
        {
            TempData[RecoveryCodesKey] = codes.ToArray();
        }

        StatusMessage = "Two-factor sign-in is on: we will text a code to your phone when you sign in.";
        return RedirectToPage();
    }

    /// <summary>Why the password does not allow changing the two-factor phone, or <see langword="null"/> when it does.</summary>
    private async Task<string?> PasswordProblemAsync(object user)
    {
        if (!await accounts.HasPasswordAsync(user))
        {
            return "Two-factor sign-in texts its codes to your current phone, and your account has no password to confirm this change: turn two-factor sign-in off first, then change the number.";
        }

        if (string.IsNullOrEmpty(Password))
        {
            return "Enter your current password: two-factor sign-in texts its codes to your current phone.";
        }

        var checkedPassword = await accounts.CheckPasswordAsync(user, Password);
        return checkedPassword switch
        {
            { Succeeded: true } => null,
            { IsLockedOut: true } => "Too many wrong passwords: your account is locked for a while. Try again later.",
            _ => "That password is not right.",
        };
    }

    private static string Readable(string e164) => OtpUIText.Readable(e164)!;

    private async Task LoadAsync(object user)
    {
        State = await accounts.GetStateAsync(user);
        PendingPhone = TempData.Peek(PendingKey) is string pending ? Readable(pending) : null;
        NumberHint = OtpUIText.PhoneHint(tokenOptions.Value.DefaultRegion);
    }
}
