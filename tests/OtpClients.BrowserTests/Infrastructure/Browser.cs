using Microsoft.Playwright;

namespace OtpClients.BrowserTests;

/// <summary>
/// One headless Chromium for the whole test run, driven by Playwright and launched on the system's browser (Debian's
/// <c>chromium</c> package; no browser is downloaded). <c>OTP_CHROMIUM</c> names another executable.
/// </summary>
[SetUpFixture]
public sealed class Browser
{
    private static IPlaywright? playwright;
    private static IBrowser? instance;

    /// <summary>Gets the running browser.</summary>
    public static IBrowser Instance => instance ?? throw new InvalidOperationException("The browser is not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var executable = FindChromium();
        if (executable is null)
        {
            const string Missing = "No Chromium found: install Debian's chromium package (apt-get install chromium chromium-driver), or set OTP_CHROMIUM to a Chromium executable.";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                Assert.Fail(Missing); // CI installs it: a missing browser there is a broken set-up, not a skip
            }

            Assert.Ignore(Missing);
        }

        playwright = await Playwright.CreateAsync();
        instance = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"], // root in a container has no sandbox; /dev/shm may be small
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (instance is not null)
        {
            await instance.CloseAsync();
        }

        playwright?.Dispose();
    }

    /// <summary>Finds the Chromium executable: <c>OTP_CHROMIUM</c>, then chromium, chromium-browser or google-chrome on the PATH.</summary>
    public static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable("OTP_CHROMIUM") is { Length: > 0 } configured)
        {
            return configured;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
