using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Emulator;
using OtpClients.Samples.WebApi;

namespace OtpClients.Tests.Samples;

/// <summary>The Web API sample, started as in Development (emulator in process), driven over HTTP.</summary>
public sealed class WebApiSampleTests
{
    private WebApplication app = null!;
    private OtpEmulator emulator = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        app = await OtpSampleApi.BuildAsync(["--urls=http://127.0.0.1:0", "--environment=Development", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        emulator = app.Services.GetRequiredService<OtpEmulator>();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        http = new HttpClient { BaseAddress = new Uri(address) };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await emulator.DisposeAsync();
    }

    [SetUp]
    public void Reset() => emulator.Reset();

    [Test]
    public async Task SendThenVerify_WithTheTextedCode_IsVerifiedThroughAmm()
    {
        var sent = await (await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 123 4567" })).Content.ReadFromJsonAsync<JsonObject>();
        var code = emulator.Outbox.LastCodeFor("+393481234567");

        using var verify = await http.PostAsJsonAsync("/otp/verify", new { challenge = sent!["challenge"]!.GetValue<string>(), code });
        var answer = await verify.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(sent["provider"]!.GetValue<string>(), Is.EqualTo("AMM"));
            Assert.That(emulator.Outbox.LastFor("+393481234567")!.Text, Is.EqualTo($"Your Contoso code is {code}"));
            Assert.That(verify.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answer!["verified"]!.GetValue<bool>(), Is.True);
            Assert.That(answer["status"]!.GetValue<string>(), Is.EqualTo("Verified"));
        });
    }

    [Test]
    public async Task Send_AmmUnavailable_FailsOverToIp1AndVerifiesThere()
    {
        emulator.Faults.Add(new OtpEmulatorFault { Provider = "AMM", StatusCode = 503, Count = null });
        var sent = await (await http.PostAsJsonAsync("/otp/send", new { phone = "+46 70 123 45 67" })).Content.ReadFromJsonAsync<JsonObject>();
        var code = emulator.Outbox.LastCodeFor("+46701234567");
        var answer = await (await http.PostAsJsonAsync("/otp/verify", new { challenge = sent!["challenge"]!.GetValue<string>(), code })).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(sent["provider"]!.GetValue<string>(), Is.EqualTo("iP1"));
            Assert.That(answer!["verified"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task Errors_AreProblemDetails()
    {
        using var badPhone = await http.PostAsJsonAsync("/otp/send", new { phone = "348 123" });
        using var unknown = await http.PostAsJsonAsync("/otp/verify", new { challenge = "nope", code = "1234" });
        var problem = await badPhone.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(badPhone.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(badPhone.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("InvalidPhoneNumber"));
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("country code"));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Verify_WrongCodeThenRight_InvalidCodeThenVerified()
    {
        var sent = await (await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 123 4567" })).Content.ReadFromJsonAsync<JsonObject>();
        var token = sent!["challenge"]!.GetValue<string>();
        var code = emulator.Outbox.LastCodeFor("+393481234567")!;
        var wrong = await (await http.PostAsJsonAsync("/otp/verify", new { challenge = token, code = code == "0000" ? "1111" : "0000" })).Content.ReadFromJsonAsync<JsonObject>();
        var right = await (await http.PostAsJsonAsync("/otp/verify", new { challenge = token, code })).Content.ReadFromJsonAsync<JsonObject>();
        using var replay = await http.PostAsJsonAsync("/otp/verify", new { challenge = token, code });

        Assert.Multiple(() =>
        {
            Assert.That(wrong!["status"]!.GetValue<string>(), Is.EqualTo("InvalidCode"));
            Assert.That(right!["verified"]!.GetValue<bool>(), Is.True);
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a verified challenge is forgotten");
        });
    }
}
