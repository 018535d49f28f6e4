using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityTemplateApp.Pages;

public class IndexModel : PageModel
{
    public void OnGet()
    {

    }
}
