using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OtpClients.Emulator;

namespace OtpClients.BrowserTests.Emulator;

/// <summary>
/// A web page of another origin, open in the same browser as a running emulator, tries what the review did: a hidden
/// form that posts a fault to <c>/_emulator/faults</c>, a <c>no-cors</c> fetch of the same, and a read of the codes.
/// None of it may reach the emulator's state or its data.
/// </summary>
public sealed class HostilePageBrowserTests
{
    private OtpEmulator? emulator;
    private WebApplication? attacker;

    [SetUp]
    public async Task StartAsync()
    {
        emulator = await OtpEmulator.StartAsync();
        var target = emulator.BaseAddress.ToString().TrimEnd('/');

        // The attacker's site: another origin (127.0.0.2 is loopback on Linux, and another site than 127.0.0.1).
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.2:0");
        attacker = builder.Build();
        attacker.MapGet("/", () => Results.Content(AttackPage(target), "text/html; charset=utf-8"));
        await attacker.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (attacker is not null)
        {
            await attacker.DisposeAsync();
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }
    }

    private static string AttackPage(string target) => $$"""
        <!DOCTYPE html>
        <html><head><title>cute cats</title></head><body>
        <iframe name="sink" style="display:none"></iframe>
        <form id="f" method="post" enctype="text/plain" target="sink" action="{{target}}/_emulator/faults">
          <input type="hidden" name='{"provider":"AMM","status":503,"count":null,"x":"' value='"}'>
        </form>
        <form id="g" method="post" enctype="application/x-www-form-urlencoded" target="sink" action="{{target}}/_emulator/faults">
          <input type="hidden" name="provider" value="iP1"><input type="hidden" name="status" value="503">
        </form>
        <script>
          window.results = {};
          const json = JSON.stringify({ provider: "99digital", status: 200, body: "<script>alert(1)<\/script>", contentType: "text/html", count: null });
          const posted = fetch("{{target}}/_emulator/faults", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: json })
            .then(() => "sent (opaque)", e => "failed: " + e);
          const read = fetch("{{target}}/_emulator/messages").then(r => r.text()).then(t => "read: " + t, e => "blocked: " + e);
          const secrets = fetch("{{target}}/_emulator").then(r => r.text()).then(t => "read: " + t, e => "blocked: " + e);
          const cleared = fetch("{{target}}/_emulator/faults", { method: "DELETE" }).then(r => "status " + r.status, e => "blocked: " + e);
          document.getElementById("f").submit();
          setTimeout(() => document.getElementById("g").submit(), 300);
          Promise.all([posted, read, secrets, cleared]).then(([p, r, s, c]) => {
            window.results = { posted: p, read: r, secrets: s, cleared: c };
            setTimeout(() => { document.title = "done"; }, 1200);
          });
        </script>
        </body></html>
        """;

    [Test]
    public async Task AttackPage_OnAnotherOrigin_CannotSetFaultsNorReadCodesOrCredentials()
    {
        // A code in the inbox and a fault of the developer's own, for the page to try to read and clear.
        var own = new OtpEmulatorFault { Provider = "AMM", Path = "/nothing-matches", Count = null };
        Emulator.Faults.Add(own);
        var context = await Browser.Instance.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var address = attacker!.Urls.Single();
            await page.GotoAsync(address);
            await page.WaitForFunctionAsync("document.title === 'done'", null, new() { Timeout = 15_000 });
            var results = await page.EvaluateAsync<Dictionary<string, string>>("window.results");

            Assert.Multiple(() =>
            {
                Assert.That(Emulator.Faults.Pending, Is.EqualTo(new[] { own }), "no fault added by the page, none cleared");
                Assert.That(results["read"], Does.StartWith("blocked"), "the codes cannot be read");
                Assert.That(results["secrets"], Does.StartWith("blocked"), "the credentials cannot be read");
                Assert.That(results["cleared"], Does.StartWith("blocked"), "a DELETE needs a CORS preflight the emulator never grants");
                Assert.That(string.Concat(results.Values), Does.Not.Contain(Emulator.Credentials.AmmAuthSecret));
            });
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Test]
    public async Task InboxPage_ItsOwnFaultControls_StillWork()
    {
        var context = await Browser.Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = Emulator.BaseAddress.ToString() });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            var form = page.Locator("form.fault[data-provider='AMM']");
            await form.GetByLabel("Error status").FillAsync("503");
            await form.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            await Assertions.Expect(form.Locator(".fault-state")).ToContainTextAsync("HTTP 503");
            Assert.That(Emulator.Faults.Pending.Single().StatusCode, Is.EqualTo(503));
            await form.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
            await Assertions.Expect(form.Locator(".fault-state")).ToContainTextAsync("No fault");
            Assert.That(Emulator.Faults.Pending, Is.Empty, string.Create(CultureInfo.InvariantCulture, $"cleared from the page"));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private OtpEmulator Emulator => emulator!;
}
