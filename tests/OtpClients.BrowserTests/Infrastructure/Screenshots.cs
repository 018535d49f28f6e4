using Microsoft.Playwright;

namespace OtpClients.BrowserTests.Infrastructure;

/// <summary>
/// Screenshots for the docs: always attached to the test's results; written to <c>docs/</c> of the repository when
/// <c>OTP_UPDATE_SCREENSHOTS=1</c> (then commit the file).
/// </summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, name);
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, "screenshot for the docs");
        if (Environment.GetEnvironmentVariable("OTP_UPDATE_SCREENSHOTS") == "1")
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "OtpClients.sln")))
            {
                root = root.Parent;
            }

            if (root is null)
            {
                Assert.Fail("OTP_UPDATE_SCREENSHOTS=1, but the repository root (OtpClients.sln) was not found above the test's folder.");
            }

            File.Copy(file, Path.Combine(root!.FullName, "docs", name), overwrite: true);
        }
    }
}
