using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace OtpClients.Identity.UI.Areas.Identity.Pages.Account;

/// <summary>
/// The second step of a sign-in by SMS: text a code (a POST, so no prefetch or reload texts anyone), then sign in with it
/// through <c>TwoFactorSignInAsync</c>, whose lockout counts wrong codes. A provider outage is not a wrong code: the
/// page says the service is unavailable and counts nothing. Links to the authenticator app and the recovery codes.
/// </summary>
[AllowAnonymous]
internal sealed class LoginWithSmsModel(OtpAccounts accounts, OtpTokenActivity activity) : PageModel
{
    private const string SentKey = "OtpClients.SignInCodeSent";

    /// <summary>Gets or sets the code the user typed.</summary>
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>Gets or sets whether this browser skips the second step next time.</summary>
    [BindProperty]
    public bool RememberMachine { get; set; }

    /// <summary>Gets or sets where to go once signed in (a local URL only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Gets or sets whether the sign-in cookie outlives the browser session (the login page's "remember me").</summary>
    [BindProperty(SupportsGet = true)]
    public bool RememberMe { get; set; }

    /// <summary>Gets or sets the outcome of the last send, shown once.</summary>
    [TempData(Key = "OtpClients.StatusMessage")]
    public string? StatusMessage { get; set; }

    /// <summary>Gets the error of this request.</summary>
    public string? Error { get; private set; }

    /// <summary>Gets whether a code was texted in this sign-in.</summary>
    public bool CodeSent { get; private set; }

    /// <summary>Gets the phone the code goes to, masked.</summary>
    public string MaskedPhone { get; private set; } = string.Empty;

    /// <summary>Gets whether the user can use an authenticator app instead.</summary>
    public bool CanUseAuthenticator { get; private set; }

    /// <summary>Gets a value indicating whether a provider of the route can call the code ("Call me instead").</summary>
    public bool OffersVoice => accounts.OffersVoice;

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await accounts.GetTwoFactorUserAsync();
        if (user is null)
        {
            return RedirectToPage("./Login", new { ReturnUrl });
        }

        if (!await accounts.CanSignInBySmsAsync(user))
        {
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl, RememberMe, useAuthenticator = true });
        }

        await LoadAsync(user);
        return Page();
    }

    public Task<IActionResult> OnPostSendAsync() =>
        SendAsync(null, () => TempData.Peek(SentKey) is true ? "We sent a new code." : "We texted you a code.", "We could not text your code. "); // again: the same session, sent through another provider when there is one

    /// <summary>"Call me instead": the session's next code by a voice call, through a provider of the route that calls.</summary>
    public Task<IActionResult> OnPostCallAsync() =>
        SendAsync(OtpChannel.Voice, () => "We are calling you: the call says your code.", "We could not call you. ");

    /// <summary>Sends the sign-in code (through <paramref name="channel"/> when set), and says so.</summary>
    private async Task<IActionResult> SendAsync(OtpChannel? channel, Func<string> done, string failed)
    {
        var user = await accounts.GetTwoFactorUserAsync();
        if (user is null)
        {
            return RedirectToPage("./Login", new { ReturnUrl });
        }

        try
        {
            activity.NextChannel = channel;
            await accounts.SendSignInCodeAsync(user);
            StatusMessage = done();
            TempData[SentKey] = true;
        }
        catch (OtpTokenProviderException ex)
        {
            StatusMessage = failed + OtpUIText.Describe(ex.Error);
        }

        return RedirectToPage(new { ReturnUrl, RememberMe });
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await accounts.GetTwoFactorUserAsync();
        if (user is null)
        {
            return RedirectToPage("./Login", new { ReturnUrl });
        }

        SignInResult result;
        try
        {
            result = await accounts.SignInWithCodeAsync(Code?.Trim() ?? string.Empty, RememberMe, RememberMachine);
        }
        catch (OtpTokenProviderException ex)
        {
            Error = "We could not check your code. " + OtpUIText.Describe(ex.Error);
            await LoadAsync(user);
            return Page();
        }

        if (result.Succeeded)
        {
            TempData.Remove(SentKey);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : Url.Content("~/"));
        }

        if (result.IsLockedOut)
        {
            return RedirectToPage("./Lockout");
        }

        Error = OtpUIText.Describe(activity.LastCheck?.Status);
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadAsync(object user)
    {
        var state = await accounts.GetStateAsync(user);
        MaskedPhone = PhoneNumber.Mask(state.PhoneNumber);
        CanUseAuthenticator = await accounts.CanSignInByAuthenticatorAsync(user);
        CodeSent = TempData.Peek(SentKey) is true;
    }
}
