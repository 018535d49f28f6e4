using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OtpClients.Identity.UI.Areas.Identity.Pages.Account.Manage;

/// <summary>
/// Identity's Profile page, taken over by this package: the user name as the stock page shows it, and the phone number
/// read-only, with a link to "Phone and SMS". The stock page let the phone be edited in place: it stored the raw
/// spelling unconfirmed while SMS two-factor stayed on, and the next sign-in had no SMS to send. A phone is changed only
/// through "Phone and SMS": confirmed by a texted code, stored in E.164, with the password while two-factor depends on it.
/// </summary>
[Authorize]
internal sealed class IndexModel(OtpAccounts accounts) : PageModel
{
    /// <summary>Gets the user name.</summary>
    public string? Username { get; private set; }

    /// <summary>Gets the phone number as people read it, or <see langword="null"/>.</summary>
    public string? Phone { get; private set; }

    /// <summary>Gets the user's phone and two-factor state.</summary>
    public OtpAccountState State { get; private set; } = new(null, false, false, false, 0);

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

        Username = await accounts.GetUserNameAsync(user);
        State = await accounts.GetStateAsync(user);
        Phone = OtpUIText.Readable(State.PhoneNumber);
        return Page();
    }
}
