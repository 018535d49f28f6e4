using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityTemplateApp.Pages;

public class PrivacyModel : PageModel
{
    public void OnGet()
    {
    }
}

