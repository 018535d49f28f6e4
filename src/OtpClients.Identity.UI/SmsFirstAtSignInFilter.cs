using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OtpClients.Identity.UI;

/// <summary>
/// On Identity's stock authenticator-code page (<c>/Identity/Account/LoginWith2fa</c>), sends a user who can get a code by
/// SMS on to the SMS sign-in page, keeping the return URL and "remember me". Only GET is sent on, and never when the
/// SMS page's "use your authenticator app" link asked for the stock page (<c>useAuthenticator=true</c>).
/// </summary>
internal sealed class SmsFirstAtSignInFilter : IAsyncPageFilter
{
    public const string UseAuthenticatorQuery = "useAuthenticator";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.HttpContext.Request;
        var services = context.HttpContext.RequestServices;
        if (HttpMethods.IsGet(request.Method)
            && !string.Equals(request.Query[UseAuthenticatorQuery], "true", StringComparison.OrdinalIgnoreCase)
            && services.GetRequiredService<IOptions<OtpIdentityUIOptions>>().Value.SmsFirstAtSignIn)
        {
            var accounts = services.GetRequiredService<OtpAccounts>();
            if (await accounts.GetTwoFactorUserAsync().ConfigureAwait(false) is { } user && await accounts.CanSignInBySmsAsync(user).ConfigureAwait(false))
            {
                context.Result = new RedirectToPageResult("/Account/LoginWithSms", new
                {
                    area = "Identity",
                    returnUrl = (string?)request.Query["returnUrl"],
                    rememberMe = (string?)request.Query["rememberMe"],
                });
                return;
            }
        }

        await next().ConfigureAwait(false);
    }
}
