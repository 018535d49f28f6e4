using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OtpClients.Identity;

namespace OtpClients.Samples.Identity.Pages.Account;

/// <summary>Checks the code texted to the new number; ChangePhoneNumberAsync sets and confirms it.</summary>
[Authorize]
public sealed class ConfirmPhoneModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, OtpTokenActivity activity) : PageModel
{
    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    public string MaskedPhone => PhoneNumber.Mask(Phone);

    public IActionResult OnGet()
    {
        Phone = TempData["PendingPhone"] as string;
        Error = TempData["Error"] as string;
        Message = TempData["Message"] as string;
        return Phone is null ? RedirectToPage("Manage") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null || Phone is null)
        {
            return RedirectToPage("Login");
        }

        IdentityResult changed;
        try
        {
            changed = await users.ChangePhoneNumberAsync(user, Phone, Code ?? string.Empty);
        }
        catch (OtpTokenProviderException ex)
        {
            Error = IdentitySample.Describe(ex.Error);
            return Page();
        }

        if (!changed.Succeeded)
        {
            Error = IdentitySample.Describe(activity.LastCheck?.Status);
            return Page();
        }

        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = "Your phone number is confirmed.";
        return RedirectToPage("Manage");
    }

    public async Task<IActionResult> OnPostResendAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null || Phone is null)
        {
            return RedirectToPage("Login");
        }

        try
        {
            await users.GenerateChangePhoneNumberTokenAsync(user, Phone);
            TempData["Message"] = "We sent a new code.";
        }
        catch (OtpTokenProviderException ex)
        {
            TempData["Error"] = IdentitySample.Describe(ex.Error);
        }

        TempData["PendingPhone"] = Phone;
        return RedirectToPage(); // post, redirect, get: a reload does not text again
    }
}
