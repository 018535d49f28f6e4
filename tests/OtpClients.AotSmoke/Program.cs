using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpClients;

// Native AOT smoke: dotnet OtpClients.AotSmoke <emulator base address>
// Reads the emulator's credentials (GET /_emulator), then for each provider sends a code, reads it from the emulator's
// outbox (GET /_emulator/messages?phone=…) and verifies it, all through AddOtpClient: AMM from configuration (the
// source-generated binder), iP1, 99digital and Twilio Verify (the OtpClients.Twilio plug-in) from code. Exit code 0 when
// all four verified.
if (args.Length != 1 || !Uri.TryCreate(args[0], UriKind.Absolute, out var emulator))
{
    Console.Error.WriteLine("usage: OtpClients.AotSmoke <emulator base address>");
    return 2;
}

using var http = new HttpClient { BaseAddress = emulator };
using var credentials = JsonDocument.Parse(await http.GetStringAsync("_emulator"));
var root = credentials.RootElement;
string Credential(string provider, string name) => root.GetProperty(provider).GetProperty(name).GetString()!;

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Otp:Provider"] = "Amm",
    ["Otp:Amm:BaseAddress"] = emulator.ToString(),
    ["Otp:Amm:AuthKey"] = Credential("amm", "authKey"),
    ["Otp:Amm:AuthSecret"] = Credential("amm", "authSecret"),
}).Build();

var services = new ServiceCollection();
services.AddOtpClient("AMM", configuration.GetSection("Otp"));
services.AddOtpClient("iP1", otp => otp.UseIp1(o =>
{
    o.BaseAddress = emulator;
    o.AccountId = Credential("ip1", "accountId");
    o.ApiKey = Credential("ip1", "apiKey");
}));
services.AddOtpClient("99digital", otp => otp.UseNinetyNineDigital(o =>
{
    o.BaseAddress = emulator;
    o.ApiKey = Credential("ninetyNineDigital", "apiKey");
    o.Sender = "AotSmoke";
}));
services.AddOtpClient("Twilio", otp => otp.UseTwilioVerify(o =>
{
    o.BaseAddress = emulator;
    o.AccountSid = Credential("twilio", "accountSid");
    o.AuthToken = Credential("twilio", "authToken");
    o.ServiceSid = Credential("twilio", "serviceSid");
}));
await using var provider = services.BuildServiceProvider();

var verified = 0;
foreach (var (name, phone) in new[] { ("AMM", "+393481234567"), ("iP1", "+46701234567"), ("99digital", "+972501234567"), ("Twilio", "+393481112222") })
{
    var watch = Stopwatch.StartNew();
    var client = provider.GetRequiredKeyedService<IOtpClient>(name);
    var sent = await client.SendAsync(new OtpSendRequest(phone));
    if (!sent.IsSuccess)
    {
        Console.WriteLine($"{name}: send failed: {sent.Error}");
        continue;
    }

    using var messages = JsonDocument.Parse(await http.GetStringAsync($"_emulator/messages?phone={Uri.EscapeDataString(phone)}"));
    var code = messages.RootElement.EnumerateArray().Last().GetProperty("code").GetString()!;
    var result = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge, code));
    Console.WriteLine($"{name,-10} {result.Status,-10} {watch.Elapsed.TotalMilliseconds,8:0.0} ms");
    verified += result.IsVerified ? 1 : 0;
}

Console.WriteLine(verified == 4 ? "AOT smoke: all providers verified." : $"AOT smoke: {verified} of 4 verified.");
return verified == 4 ? 0 : 1;
