using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OtpClients.Identity;

namespace OtpClients.Samples.Identity.Pages.Account;

/// <summary>Password sign-in; with two-factor on, texts the code and moves on to the code page.</summary>
public sealed class LoginModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.PasswordSignInAsync(UserName ?? string.Empty, Password ?? string.Empty, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect("/");
        }

        if (result.IsLockedOut)
        {
            return RedirectToPage("Lockout");
        }

        if (!result.RequiresTwoFactor)
        {
            Error = "The user name or password is not right.";
            return Page();
        }

        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage();
        }

        try
        {
            await users.GenerateTwoFactorTokenAsync(user, "Phone"); // the provider texts the code
        }
        catch (OtpTokenProviderException ex)
        {
            Error = "We could not text your code. " + IdentitySample.Describe(ex.Error);
            return Page();
        }

        return RedirectToPage("LoginWith2fa");
    }
}
