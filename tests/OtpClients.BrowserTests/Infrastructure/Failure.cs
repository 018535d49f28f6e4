using Microsoft.Playwright;
using NUnit.Framework.Interfaces;

namespace OtpClients.BrowserTests.Infrastructure;

/// <summary>What a page showed when its test failed, attached to the test's results.</summary>
public static class Failure
{
    public static async Task AttachScreenshotAsync(IPage page)
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != TestStatus.Failed)
        {
            return;
        }

        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, TestContext.CurrentContext.Test.Name + ".png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, "the page when the test failed");
        await TestContext.Out.WriteLineAsync("Page at failure: " + page.Url);
    }
}
