using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace OtpClients.Emulator.Tool;

/// <summary>
/// <c>otp-emulator</c>: the emulator from the command line (<c>dotnet tool install OtpClients.Emulator.Tool</c>, or
/// <c>dotnet run --project src/OtpClients.Emulator.Tool</c>). Prints where the inbox page is and the settings that
/// point an app at it; stops on Ctrl+C or SIGTERM.
/// </summary>
internal static class Program
{
    private const int DefaultPort = 5087;

    public static Task<int> Main(string[] args)
    {
        var port = new Option<int>("--port", "-p")
        {
            Description = $"The loopback port to listen on; 0 picks a free one. Defaults to {DefaultPort}.",
            DefaultValueFactory = _ => DefaultPort,
            CustomParser = ParsePort,
        };
        var urls = new Option<string?>("--urls")
        {
            Description = "Kestrel URLs to listen on instead of the loopback port (for example http://0.0.0.0:5087). Beyond loopback, anyone who can reach it sees every code.",
        };
        var seed = new Option<FileInfo?>("--seed-accounts")
        {
            Description = "A JSON file with the credentials to accept: {\"amm\":{\"authKey\",\"authSecret\"},\"ip1\":{\"accountId\",\"apiKey\"},\"ninetyNineDigital\":{\"apiKey\",\"approvedSenders\":[…]}}.",
        };

        var hosts = new Option<string[]>("--allowed-host")
        {
            Description = "Another Host name to answer, besides localhost, 127.0.0.1, [::1] and the hosts of --urls (repeat it for several; *.example.test for every subdomain). Requests for any other name get 400, so a web page cannot reach the emulator by pointing its own name at this machine (DNS rebinding).",
            AllowMultipleArgumentsPerToken = false,
        };

        var root = new RootCommand("""
            The OtpClients emulator: iP1, AMM and 99digital on one local origin, with a phone inbox page at /.

            Safe to leave running while you browse: it answers only the Host names it listens on (localhost, 127.0.0.1,
            [::1], the hosts of --urls, and each --allowed-host), refuses control requests from pages of other origins and
            non-JSON control requests, and serves provider answers as sandboxed data, never as pages.
            Example: otp-emulator --urls http://0.0.0.0:5087 --allowed-host otp-emulator --allowed-host dev.example.test
            """) { port, urls, seed, hosts };
        root.Validators.Add(result =>
        {
            if (result.GetResult(urls) is { Implicit: false } && result.GetResult(port) is { Implicit: false })
            {
                result.AddError("Use --port or --urls, not both.");
            }
        });
        root.SetAction((result, cancellationToken) => RunAsync(result.GetValue(port), result.GetValue(urls), result.GetValue(seed), result.GetValue(hosts) ?? []));
        return root.Parse(args).InvokeAsync();
    }

    private static int ParsePort(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 65535)
        {
            return value;
        }

        result.AddError($"--port must be a number from 0 to 65535; '{token}' is not.");
        return 0;
    }

    private static async Task<int> RunAsync(int port, string? urls, FileInfo? seed, string[] allowedHosts)
    {
        var options = new OtpEmulatorOptions { Port = port, Urls = urls };
        foreach (var host in allowedHosts)
        {
            options.AllowedHosts.Add(host);
        }

        if (seed is not null && !TrySeed(options, seed, out var problem))
        {
            await Console.Error.WriteLineAsync($"--seed-accounts: {problem}").ConfigureAwait(false);
            return 2;
        }

        OtpEmulator emulator;
        try
        {
            emulator = await OtpEmulator.StartAsync(options).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync(urls is null
                ? $"Port {port} is in use: pick another with --port, or --port 0 for a free one."
                : $"An address of --urls is in use ({urls}).").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"The emulator could not start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using var stopEmulator = emulator.ConfigureAwait(false);
        var c = emulator.Credentials;
        var b = emulator.BaseAddress;
        Console.WriteLine($$"""
            OtpClients emulator listening on {{b}}
              Inbox      {{emulator.InboxAddress}}   every message sent, live, with fault controls
              AMM        Otp__Amm__BaseAddress={{b}}  Otp__Amm__AuthKey={{c.AmmAuthKey}}  Otp__Amm__AuthSecret={{c.AmmAuthSecret}}
              iP1        Otp__Ip1__BaseAddress={{b}}  Otp__Ip1__AccountId={{c.Ip1AccountId}}  Otp__Ip1__ApiKey={{c.Ip1ApiKey}}
              99digital  Otp__NinetyNineDigital__BaseAddress={{b}}  Otp__NinetyNineDigital__ApiKey={{c.NinetyNineDigitalApiKey}}  Otp__NinetyNineDigital__Sender={{OtpEmulator.NinetyNineDigitalSender}}
              Twilio     Otp__Twilio__BaseAddress={{b}}  Otp__Twilio__AccountSid={{c.TwilioAccountSid}}  Otp__Twilio__AuthToken={{c.TwilioAuthToken}}  Otp__Twilio__ServiceSid={{c.TwilioServiceSid}}  (OtpClients.Twilio; register its descriptor with services.AddOtpProvider)
              Outbox     GET {{b}}_emulator/messages
              Hosts      {{string.Join(", ", emulator.AllowedHosts)}} (add one with --allowed-host)

            A whole configuration, all three providers in one failover route. As environment variables (a plain console
            app reads them with the Microsoft.Extensions.Configuration.EnvironmentVariables package):
              Otp__Failover__0=Amm Otp__Failover__1=Ip1 Otp__Failover__2=NinetyNineDigital
              Otp__Amm__BaseAddress={{b}} Otp__Amm__AuthKey={{c.AmmAuthKey}} Otp__Amm__AuthSecret={{c.AmmAuthSecret}}
              Otp__Ip1__BaseAddress={{b}} Otp__Ip1__AccountId={{c.Ip1AccountId}} Otp__Ip1__ApiKey={{c.Ip1ApiKey}}
              Otp__NinetyNineDigital__BaseAddress={{b}} Otp__NinetyNineDigital__ApiKey={{c.NinetyNineDigitalApiKey}} Otp__NinetyNineDigital__Sender={{OtpEmulator.NinetyNineDigitalSender}}
            or in appsettings.Development.json (services.AddOtpClient(configuration.GetSection("Otp"))):
              {"Otp": {"Failover": ["Amm", "Ip1", "NinetyNineDigital"],
                       "Amm": {"BaseAddress": "{{b}}", "AuthKey": "{{c.AmmAuthKey}}", "AuthSecret": "{{c.AmmAuthSecret}}"},
                       "Ip1": {"BaseAddress": "{{b}}", "AccountId": "{{c.Ip1AccountId}}", "ApiKey": "{{c.Ip1ApiKey}}"},
                       "NinetyNineDigital": {"BaseAddress": "{{b}}", "ApiKey": "{{c.NinetyNineDigitalApiKey}}", "Sender": "{{OtpEmulator.NinetyNineDigitalSender}}"} } }
            (one provider only: Otp__Provider=Amm, or "Provider": "Amm", with that provider's settings.)
            Press Ctrl+C to stop.
            """);
        if (!emulator.IsLoopbackOnly)
        {
            await Console.Error.WriteLineAsync(
                $"WARNING: listening beyond loopback ({string.Join(", ", emulator.Addresses)}): anyone who can reach it sees every code it sends.").ConfigureAwait(false);
        }

        // Ctrl+C and SIGTERM end the wait; the shutdown then runs on this flow, not on the signal's thread.
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await stopped.Task.ConfigureAwait(false);
        Console.WriteLine("Stopping.");
        return 0;
    }

    /// <summary>Reads the credentials of <c>--seed-accounts</c>; only the settings present replace the defaults.</summary>
    private static bool TrySeed(OtpEmulatorOptions options, FileInfo file, out string? problem)
    {
        problem = null;
        if (!file.Exists)
        {
            problem = $"{file.FullName} does not exist.";
            return false;
        }

        try
        {
            using var stream = file.OpenRead();
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "expected a JSON object with amm, ip1 and ninetyNineDigital.";
                return false;
            }

            options.AmmAuthKey = Read(root, "amm", "authKey") ?? options.AmmAuthKey;
            options.AmmAuthSecret = Read(root, "amm", "authSecret") ?? options.AmmAuthSecret;
            options.Ip1AccountId = Read(root, "ip1", "accountId") ?? options.Ip1AccountId;
            options.Ip1ApiKey = Read(root, "ip1", "apiKey") ?? options.Ip1ApiKey;
            options.NinetyNineDigitalApiKey = Read(root, "ninetyNineDigital", "apiKey") ?? options.NinetyNineDigitalApiKey;
            if (root.TryGetProperty("ninetyNineDigital", out var digital) && digital.TryGetProperty("approvedSenders", out var senders))
            {
                foreach (var sender in senders.EnumerateArray())
                {
                    options.NinetyNineDigitalApprovedSenders.Add(sender.ValueKind == JsonValueKind.String ? sender.GetString()! : throw new FormatException("ninetyNineDigital.approvedSenders must hold strings."));
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            problem = $"{file.Name} is not a valid accounts file: {ex.Message}";
            return false;
        }

        static string? Read(JsonElement root, string provider, string name) =>
            root.TryGetProperty(provider, out var section) && section.ValueKind == JsonValueKind.Object && section.TryGetProperty(name, out var value)
                ? value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : throw new FormatException($"{provider}.{name} must be a non-empty string.")
                : null;
    }
}
