using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtpClients.Emulator;

namespace OtpClients.Tests.Emulator;

/// <summary>The emulator checked against the providers' documentation over raw HTTP (no SDK), using the documented example requests.</summary>
public sealed partial class EmulatorHttpTests
{
    private OtpEmulator emulator = null!;
    private HttpClient http = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions { CodeGenerator = (_, length, _) => new string('7', length) });
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

    private HttpRequestMessage Amm(HttpMethod method, string uri, Dictionary<string, string>? form = null, string? user = null, string? password = null)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? emulator.Credentials.AmmAuthKey}:{password ?? emulator.Credentials.AmmAuthSecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return request;
    }

    private HttpRequestMessage Ip1(HttpMethod method, string uri, string? json = null)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{emulator.Credentials.Ip1AccountId}:{emulator.Credentials.Ip1ApiKey}")));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
    }

    [Test]
    public async Task Amm_DocumentedCurlFlow_SendCheckSearchCommand()
    {
        // curl --user AUTH_KEY:AUTH_SECRET -XPOST …/verify/send -d "to=393480000000" -d "text=Codice di sblocco ${verify_code}"
        var (sendStatus, send) = await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/send", new() { ["to"] = "393480000000", ["text"] = "Codice di sblocco ${verify_code}" }));
        var id = send!["verify_id"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(sendStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(id, Does.Match("^[0-9a-f]{40}$"), "shaped like the documented c6cf59524c65d9c65d134d1137a86336558d19ba");
            Assert.That(emulator.Outbox.LastFor("+393480000000")!.Text, Is.EqualTo("Codice di sblocco 7777"));
        });

        var (_, wrong) = await SendAsync(Amm(HttpMethod.Get, $"sms/v2/verify/check?verify_id={id}&verify_code=1234"));
        var (_, right) = await SendAsync(Amm(HttpMethod.Get, $"sms/v2/verify/check?verify_id={id}&verify_code=7777&ip_address=192.168.1.1"));
        var (_, reused) = await SendAsync(Amm(HttpMethod.Get, $"sms/v2/verify/check?verify_id={id}&verify_code=7777"));
        var (_, search) = await SendAsync(Amm(HttpMethod.Get, $"sms/v2/verify/search?verify_id={id}"));
        var (commandStatus, command) = await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/command", new() { ["verify_id"] = id, ["command"] = "DELETE" }));

        Assert.Multiple(() =>
        {
            Assert.That(wrong!["verify_status"]!.GetValue<string>(), Is.EqualTo("FAILED"));
            Assert.That(right!["verify_status"]!.GetValue<string>(), Is.EqualTo("VERIFIED"));
            Assert.That(right["id_sms"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(reused!["verify_status"]!.GetValue<string>(), Is.EqualTo("REUSED"));
            Assert.That(search!["verify_status"]!.GetValue<string>(), Is.EqualTo("VERIFIED"));
            Assert.That(search["to"]!.GetValue<string>(), Is.EqualTo("393480000000"));
            Assert.That(search["date_submit"]!.GetValue<long>(), Is.GreaterThan(1_000_000_000_000L), "epoch milliseconds");
            Assert.That(search["checks"]!.AsArray(), Has.Count.EqualTo(3));
            Assert.That(search["checks"]![1]!["ip_address"]!.GetValue<string>(), Is.EqualTo("192.168.1.1"));
            Assert.That(search.AsObject().ContainsKey("codice"), Is.False, "codice only with sandbox=true");
            Assert.That(commandStatus, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(command!["errorMsg"]!.GetValue<string>(), Is.EqualTo("BAD STATUS"));
        });
    }

    [TestCase("to=12&text=x ${verify_code}", "BAD_TO")]
    [TestCase("to=393480000000&text=", "BAD_TEXT")]
    [TestCase("to=393480000000&text=no placeholder", "BAD_TEXT_PLACEHOLDER")]
    [TestCase("to=393480000000&text=${verify_code} ${other}", "BAD_TEXT_PLACEHOLDER")]
    [TestCase("to=393480000000&text=${verify_code}&from=TooLongSender1", "BAD_FROM")]
    [TestCase("to=393480000000&text=${verify_code}&encoding=UTF8", "BAD_ENCODING")]
    [TestCase("to=393480000000&text=${verify_code}&code_len=7", "BAD_COD_LEN")]
    [TestCase("to=393480000000&text=${verify_code}&max_retry=0", "BAD_RETRY")]
    [TestCase("to=393480000000&text=${verify_code}&ttl=9", "BAD_TTL")]
    public async Task Amm_BadSendInput_AnswersTheDocumentedErrorMsg(string body, string errorMsg)
    {
        var request = Amm(HttpMethod.Post, "sms/v2/verify/send");
        request.Content = new StringContent(body.Replace("${", "%24%7B", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal), Encoding.UTF8, "application/x-www-form-urlencoded");
        var (status, answer) = await SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(answer!["errorMsg"]!.GetValue<string>(), Is.EqualTo(errorMsg));
            Assert.That(answer["errorCode"]!.GetValue<int>(), Is.EqualTo(400));
        });
    }

    [Test]
    public async Task Amm_ErrorsOfCheckCommandSearch_AreTheDocumentedOnes()
    {
        var (_, check) = await SendAsync(Amm(HttpMethod.Get, "sms/v2/verify/check?verify_id=nope&verify_code=1"));
        var (_, command) = await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/command", new() { ["verify_id"] = "nope", ["command"] = "DELETE" }));
        var (_, sent) = await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/send", new() { ["to"] = "393480000000", ["text"] = "${verify_code}" }));
        var (_, badCommand) = await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/command", new() { ["verify_id"] = sent!["verify_id"]!.GetValue<string>(), ["command"] = "PAUSE" }));
        var (_, noParams) = await SendAsync(Amm(HttpMethod.Get, "sms/v2/verify/search"));
        var (credentialsStatus, _) = await SendAsync(Amm(HttpMethod.Get, "sms/v2/verify/search?verify_id=x", password: "wrong"));
        var (methodStatus, _) = await SendAsync(Amm(HttpMethod.Delete, "sms/v2/verify/send"));
        Assert.Multiple(() =>
        {
            Assert.That(check!["errorMsg"]!.GetValue<string>(), Is.EqualTo("VERIFY ID ERROR"));
            Assert.That(command!["errorMsg"]!.GetValue<string>(), Is.EqualTo("VERIFY ID ERROR"));
            Assert.That(badCommand!["errorMsg"]!.GetValue<string>(), Is.EqualTo("BAD_COMMAND"));
            Assert.That(noParams!["errorMsg"]!.GetValue<string>(), Is.EqualTo("NO_PARAMS"));
            Assert.That(credentialsStatus, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(methodStatus, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        });
    }

    [Test]
    public async Task Amm_SandboxSend_SearchReturnsCodice()
    {
        var (_, sent) = await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/send", new() { ["to"] = "393470000000", ["text"] = "Codice ${verify_code}", ["sandbox"] = "true" }));
        var (_, search) = await SendAsync(Amm(HttpMethod.Get, $"sms/v2/verify/search?verify_id={sent!["verify_id"]}"));
        Assert.That(search!["codice"]!.GetValue<string>(), Is.EqualTo("7777"));
    }

    [Test]
    public async Task Ip1_DocumentedSampleBody_CreatesValidatesAndReads()
    {
        var (createStatus, created) = await SendAsync(Ip1(HttpMethod.Post, "api/authentications", "{\"Phone\":\"46701234567\",\"From\":\"iP1\",\"MessageFormat\":\"Code {0}\",\"Length\":6,\"ExpirationTime\":600,\"NumericOnly\":true}"));
        var id = created!["ID"]!.GetValue<long>();
        var (_, invalid) = await SendAsync(Ip1(HttpMethod.Post, "api/authentications/validate", "{\"Phone\":\"46701234567\",\"Code\":\"000000\"}"));
        var (_, valid) = await SendAsync(Ip1(HttpMethod.Post, "api/authentications/validate", "{\"Phone\":\"46701234567\",\"Code\":\"777777\"}"));
        var (_, one) = await SendAsync(Ip1(HttpMethod.Get, $"api/authentications/{id}"));
        var (_, list) = await SendAsync(Ip1(HttpMethod.Get, "api/authentications"));

        Assert.Multiple(() =>
        {
            Assert.That(createStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(created.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "ID", "Phone", "Created", "HasExpired", "Expires", "IsUsed", "Used" }));
            Assert.That(DateTimeOffset.Parse(created["Expires"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse(created["Created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(TimeSpan.FromSeconds(600)));
            Assert.That(emulator.Outbox.LastFor("+46701234567")!.Text, Is.EqualTo("Code 777777"));
            Assert.That(invalid!["Valid"]!.GetValue<bool>(), Is.False);
            Assert.That(valid!["Valid"]!.GetValue<bool>(), Is.True);
            Assert.That(valid["Authentication"]!["ID"]!.GetValue<long>(), Is.EqualTo(id));
            Assert.That(one!["IsUsed"]!.GetValue<bool>(), Is.True);
            Assert.That(list!.AsArray(), Has.Count.EqualTo(1));
        });
    }

    [TestCase("{\"From\":\"x\"}", "authentication.Phone")]
    [TestCase("{\"Phone\":\"46701234567\",\"MessageFormat\":\"no placeholder\"}", "authentication.MessageFormat")]
    [TestCase("{\"Phone\":\"46701234567\",\"Length\":2}", "authentication.Length")]
    [TestCase("{\"Phone\":\"46701234567\",\"ExpirationTime\":86401}", "authentication.ExpirationTime")]
    public async Task Ip1_BadCreateInput_AnswersModelState(string json, string key)
    {
        var (status, body) = await SendAsync(Ip1(HttpMethod.Post, "api/authentications", json));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body!["ModelState"]!.AsObject().ContainsKey(key), Is.True);
        });
    }

    [Test]
    public async Task Ip1_Settings_GetPutAndUnknownId()
    {
        var (_, initial) = await SendAsync(Ip1(HttpMethod.Get, "api/authentications/settings"));
        var (putStatus, _) = await SendAsync(Ip1(HttpMethod.Put, "api/authentications/settings", "{\"ConcurrentLimit\":2,\"From\":null,\"MessageFormat\":\"{0}\",\"Length\":4,\"ExpirationTime\":60,\"NumericOnly\":true}"));
        var (_, after) = await SendAsync(Ip1(HttpMethod.Get, "api/authentications/settings"));
        var (missing, _) = await SendAsync(Ip1(HttpMethod.Get, "api/authentications/999999"));
        Assert.Multiple(() =>
        {
            Assert.That(initial!.AsObject().All(p => p.Value is null), Is.True, "null = unset");
            Assert.That(putStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(after!["ConcurrentLimit"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(missing, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    private MultipartFormDataContent NinetyNine(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    [Test]
    public async Task NinetyNineDigital_DocumentedSendAndCheck()
    {
        var key = emulator.Credentials.NinetyNineDigitalApiKey;
        var (_, send) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "sms/verifySMS") { Content = NinetyNine(("apiKey", key), ("from", "Contoso"), ("to", "0501234567")) });
        var (_, check) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "sms/verifySMS") { Content = NinetyNine(("apiKey", key), ("to", "0501234567"), ("code", "777777")) });
        Assert.Multiple(() =>
        {
            Assert.That(send!["status"]!.GetValue<string>(), Is.EqualTo("OK"));
            Assert.That(send["unique"]!.GetValue<string>(), Does.Match("^[0-9]+$"));
            Assert.That(send["timestamp"]!.GetValue<long>(), Is.GreaterThan(1_600_000_000L), "Unix seconds");
            Assert.That(send["reason"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(emulator.Outbox.LastFor("+972501234567")!.Text, Does.Contain("Your verification code is: 777777"));
            Assert.That(check!["status"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(check["phone"]!.GetValue<string>(), Is.EqualTo("0501234567"));
        });
    }

    [TestCase("wrong", "Contoso", "0501234567", null, 6)]
    [TestCase(null, "", "0501234567", null, 9)]
    [TestCase(null, "TwelveLetter", "0501234567", null, 2)]
    [TestCase(null, "0509999999", "0501234567", null, 3)]
    [TestCase(null, "Contoso", "", null, 7)]
    [TestCase(null, "Contoso", "+972501234567", null, 7)]
    [TestCase(null, "Contoso", "0501234567", "no marker", 10)]
    public async Task NinetyNineDigital_BadSendInput_AnswersTheReason(string? apiKey, string from, string to, string? message, int reason)
    {
        var fields = new List<(string, string)> { ("apiKey", apiKey ?? emulator.Credentials.NinetyNineDigitalApiKey), ("from", from), ("to", to) };
        if (message is not null)
        {
            fields.Add(("message", message));
        }

        var (_, body) = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "sms/verifySMS") { Content = NinetyNine([.. fields]) });
        Assert.Multiple(() =>
        {
            Assert.That(body!["status"]!.GetValue<string>(), Is.EqualTo("FAIL"));
            Assert.That(body["reason"]!.GetValue<int>(), Is.EqualTo(reason));
        });
    }

    [Test]
    public async Task Faults_InProcess_HitTheNextRequestsOfAProvider()
    {
        emulator.Faults.Add(new OtpEmulatorFault { Provider = "iP1", StatusCode = 503, Count = 2 });
        var first = await SendAsync(Ip1(HttpMethod.Get, "api/authentications"));
        var second = await SendAsync(Ip1(HttpMethod.Get, "api/authentications"));
        var third = await SendAsync(Ip1(HttpMethod.Get, "api/authentications"));
        var amm = await SendAsync(Amm(HttpMethod.Get, "sms/v2/verify/search?verify_id=x"));
        Assert.Multiple(() =>
        {
            Assert.That(new[] { first.Status, second.Status, third.Status }, Is.EqualTo(new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK }));
            Assert.That(amm.Status, Is.EqualTo(HttpStatusCode.BadRequest), "another provider is not hit");
        });
    }

    [Test]
    public async Task Faults_OverHttp_AbortDelayAndAfterProcessing()
    {
        using var add = await http.PostAsJsonAsync("_emulator/faults", new { provider = "AMM", path = "/sms/v2/verify/send", abort = true, afterProcessing = true });
        Assert.That(add.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That(async () => await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/send", new() { ["to"] = "393480000000", ["text"] = "${verify_code}" })), Throws.InstanceOf<HttpRequestException>());
        Assert.That(emulator.Outbox.Messages, Has.Count.EqualTo(1), "processed before the connection dropped: the text went out");

        emulator.Faults.Add(new OtpEmulatorFault { Delay = TimeSpan.FromMilliseconds(300) });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var delayed = await SendAsync(Ip1(HttpMethod.Get, "api/authentications"));
        Assert.Multiple(() =>
        {
            Assert.That(delayed.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(280)));
        });

        using var bad = await http.PostAsync("_emulator/faults", new StringContent("{\"count\": 0}", Encoding.UTF8, "application/json"));
        using var clear = await http.DeleteAsync("_emulator/faults");
        Assert.Multiple(() =>
        {
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(clear.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(emulator.Faults.Pending, Is.Empty);
        });
    }

    [Test]
    public async Task Control_MessagesAndInfo_AreServedOverHttp()
    {
        await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/send", new() { ["to"] = "393480000000", ["text"] = "A ${verify_code}" }));
        await SendAsync(Amm(HttpMethod.Post, "sms/v2/verify/send", new() { ["to"] = "393480000001", ["text"] = "B ${verify_code}" }));

        var all = await http.GetFromJsonAsync<JsonArray>("_emulator/messages");
        var one = await http.GetFromJsonAsync<JsonArray>("_emulator/messages?phone=%2B393480000001");
        var info = await http.GetFromJsonAsync<JsonObject>("_emulator");
        using var clear = await http.DeleteAsync("_emulator/messages");

        Assert.Multiple(() =>
        {
            Assert.That(all, Has.Count.EqualTo(2));
            Assert.That(one!.Single()!["text"]!.GetValue<string>(), Is.EqualTo("B 7777"));
            Assert.That(one!.Single()!["code"]!.GetValue<string>(), Is.EqualTo("7777"));
            Assert.That(info!["amm"]!["authKey"]!.GetValue<string>(), Is.EqualTo(emulator.Credentials.AmmAuthKey));
            Assert.That(emulator.Outbox.Messages, Is.Empty);
        });
    }
}
