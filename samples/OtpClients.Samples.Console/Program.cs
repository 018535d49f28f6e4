using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpClients;
using OtpClients.Emulator;

// OtpClients console sample: see Help below, or run it with --help.
const string Help = """
    OtpClients sample. With no command: starts the emulator in process and, for iP1, AMM and 99digital, sends a code,
    reads it from the emulator's outbox, verifies it and prints a table (exit code 0 when all three verified).

    send and verify talk to a provider: a running emulator (--emulator URL), or the real provider with credentials from
    environment variables (Otp__Amm__AuthKey, Otp__Amm__AuthSecret, Otp__Ip1__AccountId, Otp__Ip1__ApiKey,
    Otp__NinetyNineDigital__ApiKey, Otp__NinetyNineDigital__Sender; Otp__*__BaseAddress points them elsewhere, as the
    emulator's banner shows).

    Example, against the emulator:
      otp-emulator --port 5087                       # or: dotnet run --project src/OtpClients.Emulator.Tool
      dotnet run --project samples/OtpClients.Samples.Console -- send --provider amm --phone +393481234567 --emulator http://127.0.0.1:5087/
      # prints the challenge as JSON; open http://127.0.0.1:5087/ to see the SMS
      dotnet run --project samples/OtpClients.Samples.Console -- verify --provider amm --challenge '<the JSON>' --emulator http://127.0.0.1:5087/
      # without --code, the code is read from the emulator's inbox (or asked for, with a real provider)
    """;

var providerOption = new Option<string>("--provider") { Description = "amm, ip1 or 99digital", Required = true };
providerOption.AcceptOnlyFromAmong("amm", "ip1", "99digital");
var phoneOption = new Option<string>("--phone") { Description = "The recipient, international form (+393481234567)", Required = true };
var templateOption = new Option<string?>("--template") { Description = "The message, with {code} where the code goes" };
var challengeOption = new Option<string>("--challenge") { Description = "The challenge JSON that send printed", Required = true };
var codeOption = new Option<string?>("--code") { Description = "The code received; read from the emulator's inbox with --emulator, asked for otherwise" };
var emulatorOption = new Option<Uri?>("--emulator")
{
    Description = "A running emulator's address (http://127.0.0.1:5087/): its credentials are read from it",
    CustomParser = result =>
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(token.EndsWith('/') ? token : token + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"--emulator must be an http address such as http://127.0.0.1:5087/; '{token}' is not.");
        return null;
    },
};

var send = new Command("send", "Send a code (to a running emulator with --emulator, else to the real provider).") { providerOption, phoneOption, templateOption, emulatorOption };
send.SetAction(async (result, cancellationToken) =>
{
    var provider = result.GetValue(providerOption)!;
    var client = await ClientAsync(provider, result.GetValue(emulatorOption), cancellationToken);
    if (client is null)
    {
        return 2;
    }

    await using var services = client.Value.Services;
    var sent = await client.Value.Client.SendAsync(new OtpSendRequest(result.GetValue(phoneOption)!) { MessageTemplate = result.GetValue(templateOption) }, cancellationToken);
    if (!sent.IsSuccess)
    {
        Console.Error.WriteLine($"{sent.Error.Code}: {sent.Error.Message}");
        return 1;
    }

    Console.WriteLine(JsonSerializer.Serialize(sent.Challenge, SampleJson.Default.OtpChallenge));
    return 0;
});

var verify = new Command("verify", "Verify a code (against a running emulator with --emulator, else the real provider).") { providerOption, challengeOption, codeOption, emulatorOption };
verify.SetAction(async (result, cancellationToken) =>
{
    OtpChallenge? challenge;
    try
    {
        challenge = JsonSerializer.Deserialize(result.GetValue(challengeOption)!, SampleJson.Default.OtpChallenge);
    }
    catch (JsonException ex)
    {
        Console.Error.WriteLine($"--challenge is not the JSON that send printed: {ex.Message}");
        return 2;
    }

    if (challenge is null || string.IsNullOrEmpty(challenge.Id) || string.IsNullOrEmpty(challenge.PhoneNumber))
    {
        Console.Error.WriteLine("--challenge is not the JSON that send printed: it has no id or phone number.");
        return 2;
    }

    var emulator = result.GetValue(emulatorOption);
    var client = await ClientAsync(result.GetValue(providerOption)!, emulator, cancellationToken);
    if (client is null)
    {
        return 2;
    }

    await using var services = client.Value.Services;
    var code = result.GetValue(codeOption);
    if (code is null && emulator is not null)
    {
        code = await LastCodeAsync(emulator, challenge.PhoneNumber, cancellationToken);
        Console.WriteLine(code is null ? "The emulator's inbox has no code for that number." : $"Code from the emulator's inbox: {code}");
    }

    if (code is null)
    {
        Console.Write("Code: ");
        code = Console.ReadLine() ?? string.Empty;
    }

    var verified = await client.Value.Client.VerifyAsync(new OtpVerifyRequest(challenge, code), cancellationToken);
    Console.WriteLine(verified.Error is { } error ? $"{verified.Status} ({error.Code}: {error.Message})" : verified.Status.ToString());
    return verified.IsVerified ? 0 : 1;
});

var root = new RootCommand(Help) { send, verify };
root.SetAction((_, cancellationToken) => RunAgainstEmulatorAsync(cancellationToken));
return await root.Parse(args).InvokeAsync();

static async Task<int> RunAgainstEmulatorAsync(CancellationToken cancellationToken)
{
    await using var emulator = await OtpEmulator.StartAsync(cancellationToken: cancellationToken);
    var services = new ServiceCollection();
    services.AddOtpClient("AMM", otp => otp.UseAmm(emulator.ConfigureAmm));
    services.AddOtpClient("iP1", otp => otp.UseIp1(emulator.ConfigureIp1));
    services.AddOtpClient("99digital", otp => otp.UseNinetyNineDigital(emulator.ConfigureNinetyNineDigital));
    await using var provider = services.BuildServiceProvider();

    Console.WriteLine($"Emulator at {emulator.BaseAddress}");
    Console.WriteLine($"{"provider",-10} {"challenge id",-42} {"status",-12} {"time",8}");
    var allVerified = true;
    foreach (var (name, phone) in new[] { ("iP1", "+46 70 123 45 67"), ("AMM", "+39 348 123 4567"), ("99digital", "+972 50 123 4567") })
    {
        var client = provider.GetRequiredKeyedService<IOtpClient>(name);
        var watch = Stopwatch.StartNew();
        var sent = await client.SendAsync(new OtpSendRequest(phone) { MessageTemplate = "Your sample code is {code}" }, cancellationToken);
        var status = "send failed";
        if (sent.IsSuccess)
        {
            var code = emulator.Outbox.LastCodeFor(phone) ?? string.Empty;
            var verified = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge, code), cancellationToken);
            status = verified.Status.ToString();
        }

        allVerified &= status == nameof(OtpVerificationStatus.Verified);
        Console.WriteLine($"{name,-10} {sent.Challenge?.Id ?? sent.Error?.Code.ToString(),-42} {status,-12} {watch.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture),6} ms");
    }

    Console.WriteLine(allVerified ? "All providers verified." : "Not every provider verified.");
    return allVerified ? 0 : 1;
}

// The provider's client, from a running emulator's settings or from the environment. On a mistake (no credentials, an
// emulator that does not answer) prints one line and returns null.
static async Task<(ServiceProvider Services, IOtpClient Client)?> ClientAsync(string provider, Uri? emulator, CancellationToken cancellationToken)
{
    var (section, variables) = provider switch
    {
        "amm" => ("Amm", "Otp__Amm__AuthKey and Otp__Amm__AuthSecret"),
        "ip1" => ("Ip1", "Otp__Ip1__AccountId and Otp__Ip1__ApiKey"),
        _ => ("NinetyNineDigital", "Otp__NinetyNineDigital__ApiKey and Otp__NinetyNineDigital__Sender"),
    };
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables();
    if (emulator is not null)
    {
        var settings = await EmulatorSettingsAsync(emulator, cancellationToken);
        if (settings is null)
        {
            return null;
        }

        configuration.AddInMemoryCollection(settings);
    }

    var otp = configuration.Build().GetSection("Otp").GetSection(section);
    var services = new ServiceCollection();
    services.AddOtpClient(builder => _ = provider switch
    {
        "amm" => builder.UseAmm(otp),
        "ip1" => builder.UseIp1(otp),
        _ => builder.UseNinetyNineDigital(otp),
    });
    var built = services.BuildServiceProvider();
    try
    {
        return (built, built.GetRequiredService<IOtpClient>());
    }
    catch (OptionsValidationException ex)
    {
        await built.DisposeAsync();
        Console.Error.WriteLine($"No usable {section} settings ({ex.Failures.First()}): set {variables}, or pass --emulator http://127.0.0.1:5087/ to use a running emulator.");
        return null;
    }
}

// The settings that point every provider at a running emulator, read from its GET /_emulator.
static async Task<Dictionary<string, string?>?> EmulatorSettingsAsync(Uri emulator, CancellationToken cancellationToken)
{
    JsonObject? info;
    try
    {
        using var http = new HttpClient { BaseAddress = emulator, Timeout = TimeSpan.FromSeconds(10) };
        info = await http.GetFromJsonAsync("_emulator", SampleJson.Default.JsonObject, cancellationToken);
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
    {
        Console.Error.WriteLine($"No emulator answers at {emulator} ({ex.Message}). Start one with: otp-emulator --port 5087");
        return null;
    }

    var address = emulator.ToString();
    return new Dictionary<string, string?>
    {
        ["Otp:Amm:BaseAddress"] = address,
        ["Otp:Amm:AuthKey"] = (string?)info?["amm"]?["authKey"],
        ["Otp:Amm:AuthSecret"] = (string?)info?["amm"]?["authSecret"],
        ["Otp:Ip1:BaseAddress"] = address,
        ["Otp:Ip1:AccountId"] = (string?)info?["ip1"]?["accountId"],
        ["Otp:Ip1:ApiKey"] = (string?)info?["ip1"]?["apiKey"],
        ["Otp:NinetyNineDigital:BaseAddress"] = address,
        ["Otp:NinetyNineDigital:ApiKey"] = (string?)info?["ninetyNineDigital"]?["apiKey"],
        ["Otp:NinetyNineDigital:Sender"] = (string?)info?["ninetyNineDigital"]?["sender"] ?? OtpEmulator.NinetyNineDigitalSender,
    };
}

// The last code the emulator's inbox holds for a number.
static async Task<string?> LastCodeAsync(Uri emulator, string phone, CancellationToken cancellationToken)
{
    using var http = new HttpClient { BaseAddress = emulator, Timeout = TimeSpan.FromSeconds(10) };
    var messages = await http.GetFromJsonAsync("_emulator/messages?phone=" + Uri.EscapeDataString(phone), SampleJson.Default.JsonArray, cancellationToken);
    return messages is { Count: > 0 } ? (string?)messages[^1]?["code"] : null;
}

/// <summary>Source-generated JSON for what the sample prints and reads (no reflection: trimming and Native AOT safe).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(OtpChallenge))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonArray))]
internal sealed partial class SampleJson : System.Text.Json.Serialization.JsonSerializerContext;
