using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OtpClients.Samples.Identity.Pages.Account;

/// <summary>Shows the phone and turns SMS two-factor sign-in on (only with a confirmed phone) or off.</summary>
[Authorize]
public sealed class ManageModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn) : PageModel
{
    public string? Phone { get; private set; }

    public string MaskedPhone => PhoneNumber.Mask(Phone);

    public bool PhoneConfirmed { get; private set; }

    public bool TwoFactor { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Message = TempData["Message"] as string;
        return await LoadAsync() ? Page() : RedirectToPage("Login");
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("Login");
        }

        if (!await users.IsPhoneNumberConfirmedAsync(user))
        {
            Error = "Confirm your phone number first.";
            await LoadAsync();
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = "Two-factor sign-in is on: we will text you a code each time you sign in.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("Login");
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = "Two-factor sign-in is off.";
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return false;
        }

        Phone = await users.GetPhoneNumberAsync(user);
        PhoneConfirmed = await users.IsPhoneNumberConfirmedAsync(user);
        TwoFactor = await users.GetTwoFactorEnabledAsync(user);
        return true;
    }
}
