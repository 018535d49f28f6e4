using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpClients;
using OtpClients.Emulator;

// OtpClients console sample.
//   dotnet run --project samples/OtpClients.Samples.Console
//       no arguments: starts the emulator in process and, for iP1, AMM and 99digital, sends a code, reads it from the
//       emulator's outbox, verifies it and prints a table. Exit code 0 when all three verified.
//   ... -- send --provider amm --phone +393481234567
//   ... -- verify --provider amm --challenge '<json printed by send>' [--code 1234]
//       talk to a real provider with credentials from the environment (Otp__Amm__AuthKey, Otp__Amm__AuthSecret,
//       Otp__Ip1__AccountId, Otp__Ip1__ApiKey, Otp__NinetyNineDigital__ApiKey, Otp__NinetyNineDigital__Sender).
var providerOption = new Option<string>("--provider") { Description = "amm, ip1 or 99digital", Required = true };
var phoneOption = new Option<string>("--phone") { Description = "The recipient, international form (+393481234567)", Required = true };
var templateOption = new Option<string?>("--template") { Description = "The message, with {code} where the code goes" };
var challengeOption = new Option<string>("--challenge") { Description = "The challenge JSON that send printed", Required = true };
var codeOption = new Option<string?>("--code") { Description = "The code received; asked for when omitted" };

var send = new Command("send", "Send a code through a real provider (credentials from environment variables).") { providerOption, phoneOption, templateOption };
send.SetAction(async (result, cancellationToken) =>
{
    await using var services = RealProvider(result.GetValue(providerOption)!);
    var client = services.GetRequiredService<IOtpClient>();
    var sent = await client.SendAsync(new OtpSendRequest(result.GetValue(phoneOption)!) { MessageTemplate = result.GetValue(templateOption) }, cancellationToken);
    if (!sent.IsSuccess)
    {
        Console.Error.WriteLine($"Send failed: {sent.Error}");
        return 1;
    }

    Console.WriteLine(JsonSerializer.Serialize(sent.Challenge, SampleJson.Default.OtpChallenge));
    return 0;
});

var verify = new Command("verify", "Verify a code through a real provider.") { providerOption, challengeOption, codeOption };
verify.SetAction(async (result, cancellationToken) =>
{
    var challenge = JsonSerializer.Deserialize(result.GetValue(challengeOption)!, SampleJson.Default.OtpChallenge);
    if (challenge is null)
    {
        Console.Error.WriteLine("--challenge is not a challenge.");
        return 2;
    }

    var code = result.GetValue(codeOption);
    if (code is null)
    {
        Console.Write("Code: ");
        code = Console.ReadLine() ?? string.Empty;
    }

    await using var services = RealProvider(result.GetValue(providerOption)!);
    var verified = await services.GetRequiredService<IOtpClient>().VerifyAsync(new OtpVerifyRequest(challenge, code), cancellationToken);
    Console.WriteLine(verified);
    return verified.IsVerified ? 0 : 1;
});

var root = new RootCommand("OtpClients sample: with no command, sends and verifies a code through each provider against the emulator.") { send, verify };
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

static ServiceProvider RealProvider(string name)
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection("Otp");
    var services = new ServiceCollection();
    services.AddOtpClient(name.ToUpperInvariant() switch
    {
        "AMM" => otp => otp.UseAmm(configuration.GetSection("Amm")),
        "IP1" => otp => otp.UseIp1(configuration.GetSection("Ip1")),
        "99DIGITAL" or "NINETYNINEDIGITAL" => otp => otp.UseNinetyNineDigital(configuration.GetSection("NinetyNineDigital")),
        _ => throw new ArgumentException($"Unknown provider '{name}': use amm, ip1 or 99digital."),
    });
    return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}

/// <summary>Source-generated JSON for the challenge the sample prints and reads back (no reflection: trimming and Native AOT safe).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(OtpChallenge))]
internal sealed partial class SampleJson : System.Text.Json.Serialization.JsonSerializerContext;
