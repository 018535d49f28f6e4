using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OtpClients.Identity.UI.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// Identity's two-factor page, taken over by this package: the stock page's recovery-code warnings, "Forget this browser",
/// "Disable 2FA", "Reset recovery codes" and authenticator app, in its words, plus a "Text message (SMS)" section that says
/// where codes are texted (the stock page never mentions SMS, which confused users who had just turned it on).
/// </summary>
[Authorize]
internal sealed class TwoFactorAuthenticationModel(OtpAccounts accounts) : PageModel
{
    /// <summary>Gets the user's phone and two-factor state.</summary>
    public OtpAccountState State { get; private set; } = new(null, false, false, false, 0);

    /// <summary>Gets the phone codes are texted to, as people read it.</summary>
    public string? Phone { get; private set; }

    /// <summary>Gets a value indicating whether this browser skips two-factor sign-in.</summary>
    public bool IsMachineRemembered { get; private set; }

    /// <summary>Gets or sets the outcome of the last action, shown once (the stock pages' key).</summary>
    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await accounts.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        State = await accounts.GetStateAsync(user);
        Phone = OtpUIText.Readable(State.PhoneNumber);
        IsMachineRemembered = await accounts.IsMachineRememberedAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await accounts.GetUserAsync(User) is null)
        {
            return Challenge();
        }

        await accounts.ForgetMachineAsync();
        StatusMessage = "The current browser has been forgotten. When you login again from this browser you will be prompted for your 2fa code.";
        return RedirectToPage();
    }
}
