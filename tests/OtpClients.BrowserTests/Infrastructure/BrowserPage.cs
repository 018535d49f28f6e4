using Microsoft.Playwright;

namespace OtpClients.BrowserTests.Infrastructure;

/// <summary>A fresh browser context (no cookies) and page per test, which records the page's console errors.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly List<string> consoleErrors = [];

    private BrowserPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (consoleErrors)
                {
                    consoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (consoleErrors)
            {
                consoleErrors.Add(error);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Gets the console errors and uncaught exceptions of the page so far.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (consoleErrors)
            {
                return [.. consoleErrors];
            }
        }
    }

    public static async Task<BrowserPage> OpenAsync(Uri baseAddress)
    {
        var context = await OtpClients.BrowserTests.Browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        return new BrowserPage(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
