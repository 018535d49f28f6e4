using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Sockets;
using System.Text.Json;
using OtpClients.Emulator;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Samples;

/// <summary>
/// The emulator tool (<c>otp-emulator</c>) and the console sample as a newcomer runs them: real processes, their exit
/// codes and what they print. No user mistake ends in a stack trace.
/// </summary>
public sealed class CommandLineTests
{
    private const string Tool = "src/OtpClients.Emulator.Tool";
    private const string Sample = "samples/OtpClients.Samples.Console";

    /// <summary>Runs <paramref name="test"/> with a temporary accounts file holding <paramref name="json"/>.</summary>
    private static async Task WithAccountsFileAsync(string json, Func<string, Task> test)
    {
        var file = Path.Combine(Path.GetTempPath(), $"otp-accounts-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            await test(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertNoStackTrace(string text) =>
        Assert.That(text, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception"), "a user mistake prints no stack trace");

    [Test]
    public async Task Tool_PortNotANumber_SaysTheValueIsBad()
    {
        var (exit, _, error) = await ProgramProcess.RunAsync(Tool, "--port", "abc");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(error, Does.Contain("--port must be a number from 0 to 65535; 'abc' is not."));
            AssertNoStackTrace(error);
        });
    }

    [Test]
    public async Task Tool_PortInUse_ExitsOneWithOneLine()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, _, error) = await ProgramProcess.RunAsync(Tool, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error.Trim(), Is.EqualTo($"Port {port} is in use: pick another with --port, or --port 0 for a free one."));
        });
    }

    [Test]
    public async Task Tool_Started_BannerNamesTheInboxAndEverySetting()
    {
        await using var tool = ProgramProcess.Start(Tool, ["--port", "0"]);

        Assert.That(await tool.WaitForAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(30)), Is.True, tool.Output + tool.Error);
        Assert.Multiple(() =>
        {
            Assert.That(tool.Output, Does.Match(@"OtpClients emulator listening on http://127\.0\.0\.1:\d+/"));
            Assert.That(tool.Output, Does.Match(@"Inbox +http://127\.0\.0\.1:\d+/ "));
            Assert.That(tool.Output, Does.Contain("Otp__Amm__AuthSecret=amm-emulator-secret"));
            Assert.That(tool.Output, Does.Contain("Otp__Ip1__AccountId=ip1-10000"));
            Assert.That(tool.Output, Does.Contain("Otp__NinetyNineDigital__Sender=Emulator"));
            Assert.That(tool.Error, Does.Not.Contain("WARNING"), "loopback only by default");
        });
    }

    /// <summary>On main the banner printed each provider's settings but not the provider choice: "Otp:Provider is required".</summary>
    [Test]
    public async Task Tool_Started_BannerIsAWholeConfigurationAsVariablesAndAsJson()
    {
        await using var tool = ProgramProcess.Start(Tool, ["--port", "0"]);
        Assert.That(await tool.WaitForAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(30)), Is.True, tool.Output + tool.Error);
        var lines = tool.Output.Split('\n');
        var whole = string.Join(' ', lines.SkipWhile(l => !l.StartsWith("A whole configuration", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith("or in appsettings", StringComparison.Ordinal)));
        var variables = System.Text.RegularExpressions.Regex.Matches(whole, @"(Otp__\S+)=(\S+)").ToDictionary(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal), m => (string?)m.Groups[2].Value);
        var json = string.Join('\n', lines.SkipWhile(l => !l.StartsWith("or in appsettings", StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.StartsWith("(one provider", StringComparison.Ordinal)));

        foreach (var configuration in new[]
        {
            new ConfigurationBuilder().AddInMemoryCollection(variables).Build(),
            new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build(),
        })
        {
            var services = new ServiceCollection();
            services.AddOtpClient(configuration.GetSection("Otp"));
            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<IOtpClient>();
            var sent = await client.SendAsync(new OtpSendRequest("+972501234567"));
            Assert.That(sent.IsSuccess, Is.True, sent + "\n" + json);
        }

        Assert.Multiple(() =>
        {
            Assert.That(variables.Keys, Does.Contain("Otp:Failover:0"));
            Assert.That(tool.Output, Does.Contain("Microsoft.Extensions.Configuration.EnvironmentVariables"), "the package a plain console app needs");
        });
    }

    [Test]
    public async Task Tool_BoundBeyondLoopback_WarnsThatItShowsCodes()
    {
        await using var tool = ProgramProcess.Start(Tool, ["--urls", "http://0.0.0.0:0"]);

        Assert.That(await tool.WaitForAsync("WARNING", TimeSpan.FromSeconds(30)), Is.True, tool.Output + tool.Error);
        Assert.That(tool.Error, Does.Contain("WARNING: listening beyond loopback (http://0.0.0.0:").And.Contain("anyone who can reach it sees every code it sends."));
    }

    [Test]
    public async Task Tool_Help_DocumentsTheHostAllowListAndHowToAddAName()
    {
        var (exit, output, _) = await ProgramProcess.RunAsync(Tool, "--help");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output, Does.Contain("--allowed-host"));
            Assert.That(output, Does.Contain("answers only the Host names it listens on (localhost, 127.0.0.1"));
            Assert.That(output, Does.Contain("DNS rebinding"));
        });
    }

    [Test]
    public async Task Tool_AllowedHost_IsAnsweredAndOtherNamesAreNot()
    {
        await using var tool = ProgramProcess.Start(Tool, ["--port", "0", "--allowed-host", "otp-emulator.test"]);
        Assert.That(await tool.WaitForAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(30)), Is.True, tool.Output + tool.Error);
        var address = System.Text.RegularExpressions.Regex.Match(tool.Output, @"listening on (http://\S+)").Groups[1].Value;
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        async Task<System.Net.HttpStatusCode> GetAsync(string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "_emulator/messages");
            request.Headers.Host = host;
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Multiple(async () =>
        {
            Assert.That(tool.Output, Does.Contain("Hosts      localhost, 127.0.0.1, [::1], otp-emulator.test (add one with --allowed-host)"));
            Assert.That(await GetAsync("otp-emulator.test"), Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(await GetAsync("attacker.example"), Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task Tool_SeedAccounts_AcceptsThoseCredentials()
    {
        await WithAccountsFileAsync("""{"amm":{"authKey":"team-key","authSecret":"team-secret"},"ip1":{"accountId":"ip1-777"}}""", async file =>
        {
            await using var tool = ProgramProcess.Start(Tool, ["--port", "0", "--seed-accounts", file]);

            Assert.That(await tool.WaitForAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(30)), Is.True, tool.Output + tool.Error);
            Assert.That(tool.Output, Does.Contain("Otp__Amm__AuthKey=team-key  Otp__Amm__AuthSecret=team-secret").And.Contain("Otp__Ip1__AccountId=ip1-777  Otp__Ip1__ApiKey=ip1-emulator-key"));
        });
    }

    [TestCase("{\"amm\": {\"authKey\": 5}}", "amm.authKey must be a non-empty string")]
    [TestCase("[1]", "expected a JSON object")]
    [TestCase("{bad", "is not a valid accounts file")]
    public async Task Tool_SeedAccountsInvalid_ExitsTwoNamingTheProblem(string json, string named)
    {
        await WithAccountsFileAsync(json, async file =>
        {
            var (exit, _, error) = await ProgramProcess.RunAsync(Tool, "--seed-accounts", file);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(2));
                Assert.That(error, Does.StartWith("--seed-accounts: ").And.Contain(named));
                AssertNoStackTrace(error);
            });
        });
    }

    [TestCase("amm", "Otp__Amm__AuthKey and Otp__Amm__AuthSecret")]
    [TestCase("ip1", "Otp__Ip1__AccountId and Otp__Ip1__ApiKey")]
    [TestCase("99digital", "Otp__NinetyNineDigital__ApiKey and Otp__NinetyNineDigital__Sender")]
    public async Task Sample_SendWithoutCredentials_OneLineNamingTheVariablesExitTwo(string provider, string variables)
    {
        var (exit, output, error) = await ProgramProcess.RunAsync(Sample, "send", "--provider", provider, "--phone", "+972501234567");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.Contain($"set {variables}, or pass --emulator"));
            Assert.That(output, Is.Empty);
            AssertNoStackTrace(error);
        });
    }

    [Test]
    public async Task Sample_UnknownProvider_SaysSoWithoutStackTrace()
    {
        var (exit, _, error) = await ProgramProcess.RunAsync(Sample, "send", "--provider", "twilio", "--phone", "+393481234567");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(error, Does.Contain("Argument 'twilio' not recognized. Must be one of:"));
            AssertNoStackTrace(error);
        });
    }

    [TestCase("{bad", "--challenge is not the JSON that send printed: ")]
    [TestCase("{}", "--challenge is not the JSON that send printed: it has no id or phone number.")]
    public async Task Sample_MalformedChallenge_OneLineExitTwo(string challenge, string message)
    {
        var (exit, _, error) = await ProgramProcess.RunAsync(Sample, "verify", "--provider", "amm", "--challenge", challenge, "--code", "1234");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.StartWith(message));
            AssertNoStackTrace(error);
        });
    }

    [Test]
    public async Task Sample_EmulatorNotRunning_OneLineExitTwo()
    {
        var (exit, _, error) = await ProgramProcess.RunAsync(Sample, "send", "--provider", "amm", "--phone", "+393481234567", "--emulator", "http://127.0.0.1:9/");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.StartWith("No emulator answers at http://127.0.0.1:9/").And.Contain("otp-emulator --port 5087"));
        });
    }

    [Test]
    public async Task Sample_ProviderError_PrintedAsCodeColonMessage()
    {
        await using var emulator = await OtpEmulator.StartAsync();

        var (exit, _, error) = await ProgramProcess.RunAsync(Sample, "send", "--provider", "99digital", "--phone", "+393481234567", "--emulator", emulator.BaseAddress.ToString());

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Does.StartWith("NotSupported: "), "99digital serves Israeli numbers only");
        });
    }

    [TestCase("amm", "+393481234567")]
    [TestCase("ip1", "+46701234567")]
    [TestCase("99digital", "+972501234567")]
    public async Task Sample_SendThenVerifyAgainstARunningEmulator_Verified(string provider, string phone)
    {
        await using var emulator = await OtpEmulator.StartAsync();
        var address = emulator.BaseAddress.ToString();

        var sent = await ProgramProcess.RunAsync(Sample, "send", "--provider", provider, "--phone", phone, "--emulator", address);
        var challenge = sent.Output.Trim();
        var verified = await ProgramProcess.RunAsync(Sample, "verify", "--provider", provider, "--challenge", challenge, "--emulator", address);

        Assert.Multiple(() =>
        {
            Assert.That(sent.ExitCode, Is.Zero, sent.Error);
            Assert.That(JsonDocument.Parse(challenge).RootElement.GetProperty("PhoneNumber").GetString(), Is.EqualTo(phone));
            Assert.That(verified.Output, Does.Contain($"Code from the emulator's inbox: {emulator.Outbox.LastCodeFor(phone)}"));
            Assert.That(verified.Output.TrimEnd(), Does.EndWith("Verified"));
            Assert.That(verified.ExitCode, Is.Zero, verified.Error);
        });
    }

    [Test]
    public async Task Sample_WithTheToolsEnvironmentVariables_SendsToTheEmulator()
    {
        await using var emulator = await OtpEmulator.StartAsync();
        var environment = new Dictionary<string, string?>
        {
            ["Otp__Ip1__BaseAddress"] = emulator.BaseAddress.ToString(),
            ["Otp__Ip1__AccountId"] = emulator.Credentials.Ip1AccountId,
            ["Otp__Ip1__ApiKey"] = emulator.Credentials.Ip1ApiKey,
        };

        await using var sample = ProgramProcess.Start(Sample, ["send", "--provider", "ip1", "--phone", "+46701234567"], environment);
        var exit = await sample.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, sample.Error);
            Assert.That(sample.Output, Does.Contain("\"ProviderName\":\"iP1\""));
            Assert.That(emulator.Outbox.LastCodeFor("+46701234567"), Is.Not.Null, "the emulator texted it");
        });
    }

    [Test]
    public async Task Sample_Help_ShowsAWorkedExample()
    {
        var (exit, output, _) = await ProgramProcess.RunAsync(Sample, "--help");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output, Does.Contain("Example, against the emulator:"));
            Assert.That(output, Does.Contain("send --provider amm --phone +393481234567 --emulator http://127.0.0.1:5087/"));
        });
    }
}
