using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OtpClients.Identity;

namespace OtpClients.Samples.Identity.Pages.Account;

/// <summary>The second factor: TwoFactorSignInAsync with the texted code; Identity's lockout counts wrong codes.</summary>
public sealed class LoginWith2faModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, OtpTokenActivity activity) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Message = TempData["Message"] as string;
        Error = TempData["Error"] as string;
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("Login") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return RedirectToPage("Login");
        }

        Microsoft.AspNetCore.Identity.SignInResult result;
        try
        {
            result = await signIn.TwoFactorSignInAsync("Phone", Code ?? string.Empty, isPersistent: false, rememberClient: false);
        }
        catch (OtpTokenProviderException ex)
        {
            Error = "We could not check your code. " + IdentitySample.Describe(ex.Error);
            return Page();
        }

        if (result.Succeeded)
        {
            return LocalRedirect("/");
        }

        if (result.IsLockedOut)
        {
            return RedirectToPage("Lockout");
        }

        Error = IdentitySample.Describe(activity.LastCheck?.Status);
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("Login");
        }

        try
        {
            await users.GenerateTwoFactorTokenAsync(user, "Phone");
            TempData["Message"] = "We sent a new code.";
        }
        catch (OtpTokenProviderException ex)
        {
            TempData["Error"] = "We could not text your code. " + IdentitySample.Describe(ex.Error);
        }

        return RedirectToPage(); // post, redirect, get: a reload does not text again
    }
}
