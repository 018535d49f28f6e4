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

    /// <summary>
    /// Ends the test's page: attaches a screenshot to the test's results when the test failed, closes the context, and
    /// returns the console errors the page logged (each test asserts there are none).
    /// </summary>
    public async Task<IReadOnlyList<string>> CloseAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, TestContext.CurrentContext.Test.Name + ".png");
            await Page.ScreenshotAsync(new() { Path = file, FullPage = true });
            TestContext.AddTestAttachment(file, "the page when the test failed");
            await TestContext.Out.WriteLineAsync("Page at failure: " + Page.Url);
        }

        var errors = ConsoleErrors;
        await Context.CloseAsync();
        return errors;
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
