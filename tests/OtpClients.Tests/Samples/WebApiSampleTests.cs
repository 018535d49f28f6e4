using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Emulator;
using OtpClients.Samples.WebApi;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Samples;

/// <summary>
/// The Web API sample, started as in Development (emulator in process) with its appsettings.json (send guard and
/// sessions on), driven over HTTP. Each test texts its own number: the guard's cooldown holds across tests.
/// </summary>
public sealed class WebApiSampleTests
{
    private WebApplication app = null!;
    private OtpEmulator emulator = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Every test calls from 127.0.0.1: a larger IP budget than the sample's, so the tests do not share one.
        app = await OtpSampleApi.BuildAsync(["--urls=http://127.0.0.1:0", "--environment=Development", "--Logging:LogLevel:Default=Warning", "--Otp:SendGuard:MaxSendsPerIp=100", "--Otp:SendGuard:MaxRegionsPerIp=10"]);
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

        using var verify = await http.PostAsJsonAsync("/otp/verify", new { verificationId = sent!["verificationId"]!.GetValue<string>(), code });
        var answer = await verify.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(emulator.Outbox.LastFor("+393481234567")!.Provider, Is.EqualTo("AMM"));
            Assert.That(emulator.Outbox.LastFor("+393481234567")!.Text, Is.EqualTo($"Your Contoso code is {code}"));
            Assert.That(verify.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answer!["verified"]!.GetValue<bool>(), Is.True);
            Assert.That(answer["status"]!.GetValue<string>(), Is.EqualTo("Verified"));
            Assert.That(answer["phoneNumber"]!.GetValue<string>(), Is.EqualTo("+393481234567"), "the number comes from the server's session");
            Assert.That(sent.ContainsKey("challenge"), Is.False, "the challenge never leaves the server");
        });
    }

    [Test]
    public async Task Send_AmmUnavailable_FailsOverToIp1AndVerifiesThere()
    {
        emulator.Faults.Add(new OtpEmulatorFault { Provider = "AMM", StatusCode = 503, Count = null });
        var sent = await (await http.PostAsJsonAsync("/otp/send", new { phone = "+46 70 123 45 67" })).Content.ReadFromJsonAsync<JsonObject>();
        var code = emulator.Outbox.LastCodeFor("+46701234567");
        var answer = await (await http.PostAsJsonAsync("/otp/verify", new { verificationId = sent!["verificationId"]!.GetValue<string>(), code })).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(emulator.Outbox.LastFor("+46701234567")!.Provider, Is.EqualTo("iP1"));
            Assert.That(answer!["verified"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task Errors_AreProblemDetails()
    {
        using var badPhone = await http.PostAsJsonAsync("/otp/send", new { phone = "348 123" });
        using var unknown = await http.PostAsJsonAsync("/otp/verify", new { verificationId = "nope", code = "1234" });
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
        var sent = await (await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 222 3333" })).Content.ReadFromJsonAsync<JsonObject>();
        var id = sent!["verificationId"]!.GetValue<string>();
        var code = emulator.Outbox.LastCodeFor("+393482223333")!;
        var wrong = await (await http.PostAsJsonAsync("/otp/verify", new { verificationId = id, code = code == "0000" ? "1111" : "0000" })).Content.ReadFromJsonAsync<JsonObject>();
        var right = await (await http.PostAsJsonAsync("/otp/verify", new { verificationId = id, code })).Content.ReadFromJsonAsync<JsonObject>();
        using var replay = await http.PostAsJsonAsync("/otp/verify", new { verificationId = id, code });

        Assert.Multiple(() =>
        {
            Assert.That(wrong!["status"]!.GetValue<string>(), Is.EqualTo("InvalidCode"));
            Assert.That(wrong["phoneNumber"], Is.Null);
            Assert.That(right!["verified"]!.GetValue<bool>(), Is.True);
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a verified session is gone");
        });
    }

    [Test]
    public async Task Send_SameNumberWithinTheCooldown_Is429WithRetryAfterAndSendsNothing()
    {
        // The decoy answer of main (200 with an id that never verifies) could be told apart in one free request: its
        // resend answered 404 where a real session's answered 429, its check 404 where a real one's answered
        // InvalidCode. It is gone: the refusal is what it is.
        using var first = await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 444 5555" });
        using var second = await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 444 5555" });
        var firstAnswer = await first.Content.ReadFromJsonAsync<JsonObject>();
        var refusal = await second.Content.ReadFromJsonAsync<JsonObject>();
        var code = emulator.Outbox.LastCodeFor("+393484445555")!;
        using var realCheck = await http.PostAsJsonAsync("/otp/verify", new { verificationId = firstAnswer!["verificationId"]!.GetValue<string>(), code });

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(second.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(refusal!.ContainsKey("verificationId"), Is.False, "no decoy id");
            Assert.That(emulator.Outbox.Messages.Count(m => m.PhoneNumber == "+393484445555"), Is.EqualTo(1), "one SMS");
            Assert.That(realCheck.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the first code still verifies");
        });
    }

    [Test]
    public async Task SendAndResend_Answers_NameNoProvider()
    {
        // A send's answer named its provider, so whoever steered delivery health could watch it work.
        using var sent = await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 444 6666" });
        var answer = await sent.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(answer!.Select(p => p.Key), Is.EquivalentTo(new[] { "verificationId", "expiresAt" }));
    }

    [Test]
    public async Task Verify_WithoutCode_Is400AndSpendsNoAttempt()
    {
        using var sent = await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 555 0202" });
        var id = (await sent.Content.ReadFromJsonAsync<JsonObject>())!["verificationId"]!.GetValue<string>();
        var code = emulator.Outbox.LastCodeFor("+393485550202")!;
        var wrong = code == "0000" ? "1111" : "0000";

        using var missing = await http.PostAsJsonAsync("/otp/verify", new { verificationId = id });
        var wrongAnswers = new List<HttpResponseMessage>();
        for (var i = 0; i < 2; i++)
        {
            wrongAnswers.Add(await http.PostAsJsonAsync("/otp/verify", new { verificationId = id, code = wrong }));
        }

        using var right = await http.PostAsJsonAsync("/otp/verify", new { verificationId = id, code });
        var verified = await right.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(verified!["verified"]!.GetValue<bool>(), Is.True, "AMM allows 3 checks: the missing code spent none of them");
        });
        wrongAnswers.ForEach(r => r.Dispose());
    }

    /// <summary>On main: sessions allowed 5 attempts while AMM closed the request after 3, so the 4th try, with the right code, was "InvalidCode".</summary>
    [Test]
    public async Task Verify_RightCodeAfterThreeWrongOnAmm_IsTooManyAttemptsNotInvalidCode()
    {
        using var sent = await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 555 0303" });
        var id = (await sent.Content.ReadFromJsonAsync<JsonObject>())!["verificationId"]!.GetValue<string>();
        var code = emulator.Outbox.LastCodeFor("+393485550303")!;
        var wrong = code == "0000" ? "1111" : "0000";
        var statuses = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var answer = await http.PostAsJsonAsync("/otp/verify", new { verificationId = id, code = wrong });
            statuses.Add((await answer.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        }

        using var right = await http.PostAsJsonAsync("/otp/verify", new { verificationId = id, code });
        var last = (await right.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>();

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo("InvalidCode"));
            Assert.That(last, Is.EqualTo("TooManyAttempts"), "the session's cap is AMM's: the user is told to ask for a new code, not that the right code is wrong");
        });
    }

    [Test]
    public async Task Send_RegionNotAllowed_Is403AndSendsNothing()
    {
        using var blocked = await http.PostAsJsonAsync("/otp/send", new { phone = "+44 7400 123456" });
        var problem = await blocked.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("Blocked"));
            Assert.That(problem["rule"]!.GetValue<string>(), Is.EqualTo("blocked_region"));
            Assert.That(emulator.Outbox.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task Verify_TamperedId_Is404AndChecksNothing()
    {
        var sent = await (await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 666 7777" })).Content.ReadFromJsonAsync<JsonObject>();
        var id = sent!["verificationId"]!.GetValue<string>();
        var code = emulator.Outbox.LastCodeFor("+393486667777")!;
        var tampered = (id[0] == 'A' ? 'B' : 'A') + id[1..];

        using var answer = await http.PostAsJsonAsync("/otp/verify", new { verificationId = tampered, code });
        var right = await (await http.PostAsJsonAsync("/otp/verify", new { verificationId = id, code })).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(right!["verified"]!.GetValue<bool>(), Is.True, "the real session is untouched");
        });
    }

    [TestCase("/otp/send", "", "no body was provided")]
    [TestCase("/otp/send", "{bad", "The JSON is malformed or has a wrong type at $ (line 1, position 2)")]
    [TestCase("/otp/send", "{\"phone\": 5}", "at $.phone")]
    [TestCase("/otp/verify", "[]", "The JSON is malformed or has a wrong type at $")]
    [TestCase("/otp/verify", "{\"verificationId\": true, \"code\": \"1\"}", "at $.verificationId")]
    public async Task Post_UnreadableBody_Is400ProblemNamingTheProblem(string path, string body, string named)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var answer = await http.PostAsync(path, content);
        var problem = await answer.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Multiple(() =>
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(answer.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem!["title"]!.GetValue<string>(), Is.EqualTo("The request body could not be read"));
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain(named));
            Assert.That(emulator.Outbox.Messages, Is.Empty);
        });
    }

    [Test]
    public async Task Resend_WhenAmmDropsTheSms_TextsThroughIp1AndThatCodeVerifies()
    {
        // Its own instance with a one-second cooldown: the sample's 30 s cooldown applies to a resend as to any send.
        await using var quick = await OtpSampleApi.BuildAsync(["--urls=http://127.0.0.1:0", "--environment=Development", "--Logging:LogLevel:Default=Warning", "--Otp:SendGuard:Cooldown=00:00:01"]);
        await quick.StartAsync();
        var quickEmulator = quick.Services.GetRequiredService<OtpEmulator>();
        using var client = new HttpClient { BaseAddress = new Uri(quick.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        quickEmulator.Delivery.Drop("AMM");

        var sent = await (await client.PostAsJsonAsync("/otp/send", new { phone = "+39 348 555 0101" })).Content.ReadFromJsonAsync<JsonObject>();
        var id = sent!["verificationId"]!.GetValue<string>();
        using var tooSoon = await client.PostAsJsonAsync("/otp/resend", new { verificationId = id });
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var resent = await client.PostAsJsonAsync("/otp/resend", new { verificationId = id });
        var answer = await resent.Content.ReadFromJsonAsync<JsonObject>();
        var code = quickEmulator.Outbox.LastDeliveredFor("+393485550101")!.Code;
        var verified = await (await client.PostAsJsonAsync("/otp/verify", new { verificationId = id, code })).Content.ReadFromJsonAsync<JsonObject>();
        using var unknown = await client.PostAsJsonAsync("/otp/resend", new { verificationId = id });
        using var missing = await client.PostAsJsonAsync("/otp/resend", new { });
        await quick.StopAsync();
        await quickEmulator.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(quickEmulator.Outbox.Messages.First(m => m.PhoneNumber == "+393485550101").Provider, Is.EqualTo("AMM"));
            Assert.That(tooSoon.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the guard's cooldown applies to a resend");
            Assert.That(resent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answer!["verificationId"]!.GetValue<string>(), Is.EqualTo(id));
            Assert.That(quickEmulator.Outbox.LastFor("+393485550101")!.Provider, Is.EqualTo("iP1"), "the resend went through iP1");
            Assert.That(verified!["verified"]!.GetValue<bool>(), Is.True);
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a verified session is gone");
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task OpenApi_Document_DescribesBothEndpointsAndTheirProblems()
    {
        var document = await http.GetFromJsonAsync<JsonObject>("/openapi/v1.json");

        var paths = document!["paths"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(paths.Select(p => p.Key), Is.EquivalentTo(new[] { "/otp/send", "/otp/resend", "/otp/verify" }));
            Assert.That(paths["/otp/resend"]!["post"]!["responses"]!.AsObject().Select(r => r.Key), Is.EquivalentTo(new[] { "200", "400", "403", "404", "429", "502", "503" }));
            Assert.That(paths["/otp/send"]!["post"]!["operationId"]!.GetValue<string>(), Is.EqualTo("SendCode"));
            Assert.That(paths["/otp/send"]!["post"]!["responses"]!.AsObject().Select(r => r.Key), Is.EquivalentTo(new[] { "200", "400", "403", "429", "502", "503" }));
            Assert.That(paths["/otp/verify"]!["post"]!["responses"]!.AsObject().Select(r => r.Key), Is.EquivalentTo(new[] { "200", "400", "404", "429", "502", "503" }), "every status it can return: the guard's verify rules (429), a provider's failure (502), an outage (503)");
            Assert.That(document["components"]!["schemas"]!.AsObject().Select(s => s.Key), Is.SupersetOf(new[] { "SendBody", "SendAnswer", "VerifyBody", "VerifyAnswer" }));
        });
    }

    /// <summary>On main the sample read appsettings.json from the build output: an edit took effect only after a rebuild.</summary>
    [Test]
    public void BuildAsync_FromTheClone_ReadsTheProjectsOwnAppSettings()
    {
        var project = System.IO.Path.Combine(RepositoryRoot.Path, "samples", "OtpClients.Samples.WebApi");

        Assert.That(System.IO.Path.GetFullPath(app.Environment.ContentRootPath).TrimEnd('/'), Is.EqualTo(System.IO.Path.GetFullPath(project).TrimEnd('/')));
    }

    [Test]
    public async Task Health_ReportsEachProviderWithoutSending()
    {
        using var answer = await http.GetAsync("/health");
        var health = await answer.Content.ReadFromJsonAsync<JsonObject>();

        var data = health!["checks"]!["otp"]!["data"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
            Assert.That(data["AMM.circuit"]!.GetValue<string>(), Is.EqualTo("Closed"));
            Assert.That(data["iP1.circuit"]!.GetValue<string>(), Is.EqualTo("Closed"));
            Assert.That(emulator.Outbox.Messages, Is.Empty, "a health check texts no one");
        });
    }
}

/// <summary>The Web API sample started in Production: it refuses to start without credentials, and shows no internals.</summary>
public sealed class WebApiSampleNoCredentialsTests
{
    [Test]
    public void BuildAsync_ProductionWithoutCredentials_RefusesToStartNamingTheSettings()
    {
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => OtpSampleApi.BuildAsync(["--urls=http://127.0.0.1:0", "--environment=Production", "--Logging:LogLevel:Default=Warning"]));

        Assert.That(ex!.Message, Does.Contain("Otp:Amm:AuthKey").And.Contain("UseOtpEmulator"));
    }

    [Test]
    public async Task BuildAsync_ProductionWithTheEmulatorAskedFor_ServesSendButNoOpenApiNorHealthDetails()
    {
        var app = await OtpSampleApi.BuildAsync(["--urls=http://127.0.0.1:0", "--environment=Production", "--Logging:LogLevel:Default=Warning", "--UseOtpEmulator=true"]);
        await app.StartAsync();
        try
        {
            var emulator = app.Services.GetRequiredService<OtpEmulator>();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            using var sent = await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 123 4567" });
            using var openApi = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
            var health = await http.GetStringAsync(new Uri("/health", UriKind.Relative));
            emulator.Faults.Add(new OtpEmulatorFault { Provider = "AMM", StatusCode = 401, Count = null });
            emulator.Faults.Add(new OtpEmulatorFault { Provider = "iP1", StatusCode = 401, Count = null });
            using var failed = await http.PostAsJsonAsync("/otp/send", new { phone = "+39 348 123 9999" });
            var problem = await failed.Content.ReadFromJsonAsync<JsonObject>();

            Assert.Multiple(() =>
            {
                Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(emulator.Outbox.LastCodeFor("+393481234567"), Is.Not.Null);
                Assert.That(openApi.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                Assert.That(JsonNode.Parse(health)!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "status" }), "no provider chain or circuit states");
                Assert.That(problem!["code"]!.GetValue<string>(), Is.EqualTo("Unauthorized"));
                Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo("The SMS service could not complete the request."), "no provider text outside Development");
            });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
