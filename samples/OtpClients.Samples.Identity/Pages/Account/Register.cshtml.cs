using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OtpClients.Identity;

namespace OtpClients.Samples.Identity.Pages.Account;

/// <summary>Creates the user, signs them in and texts a code to confirm the phone number.</summary>
public sealed class RegisterModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        // Stored and compared in E.164 only: two spellings of one number must not make two confirmed accounts.
        if (!OtpPhoneNumbers.TryNormalize(Phone, defaultRegion: null, out var e164, out var problem))
        {
            Error = "Enter your mobile number in international form, with its country code: " + problem;
            return Page();
        }

        var user = new IdentityUser(UserName ?? string.Empty);
        var created = await users.CreateAsync(user, Password ?? string.Empty);
        if (!created.Succeeded)
        {
            Error = string.Join(" ", created.Errors.Select(e => e.Description));
            return Page();
        }

        await signIn.SignInAsync(user, isPersistent: false);
        try
        {
            await users.GenerateChangePhoneNumberTokenAsync(user, e164); // the provider texts the code
        }
        catch (OtpTokenProviderException ex)
        {
            TempData["Error"] = IdentitySample.Describe(ex.Error);
        }

        TempData["PendingPhone"] = e164;
        return RedirectToPage("ConfirmPhone");
    }
}
