using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpClients.Benchmarks;

/// <summary>
/// The physical floor: minimal hand-written HttpClient code that puts the same bytes on the wire as the SDK (same
/// method, path, headers, body encoding and content type) and parses the same answer with source-generated JSON. No
/// validation, no resilience, no telemetry, no error mapping.
/// </summary>
public sealed class HandWritten(HttpClient http, Uri baseAddress)
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };
    private readonly AuthenticationHeaderValue ammAuth = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("amm-key:amm-secret")));
    private readonly AuthenticationHeaderValue ip1Auth = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ip1-12345:ip1-key")));
    private readonly Uri ammSend = new(baseAddress, "sms/v2/verify/send");
    private readonly string ammCheck = new Uri(baseAddress, "sms/v2/verify/check").AbsoluteUri;
    private readonly Uri ip1Create = new(baseAddress, "api/authentications");
    private readonly Uri ip1Validate = new(baseAddress, "api/authentications/validate");
    private readonly Uri nineSend = new(baseAddress, "sms/verifySMS");
    private readonly Uri nineCheck = new(baseAddress, "sms/verifySMS/check");

    public async Task<string?> AmmSendAsync(string to, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ammSend) { Content = new FormUrlEncodedContent([new("to", to), new("text", text)]) };
        request.Headers.Authorization = ammAuth;
        request.Headers.Accept.Add(AcceptJson);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (await response.Content.ReadFromJsonAsync(BaselineJson.Default.AmmSend))?.VerifyId;
    }

    public async Task<bool> AmmVerifyAsync(string verifyId, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ammCheck}?verify_id={Uri.EscapeDataString(verifyId)}&verify_code={Uri.EscapeDataString(code)}");
        request.Headers.Authorization = ammAuth;
        request.Headers.Accept.Add(AcceptJson);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (await response.Content.ReadFromJsonAsync(BaselineJson.Default.AmmCheck))?.VerifyStatus == "VERIFIED";
    }

    public async Task<long?> Ip1SendAsync(string phone)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ip1Create) { Content = Json(new Ip1New { Phone = phone }, BaselineJson.Default.Ip1New) };
        request.Headers.Authorization = ip1Auth;
        request.Headers.Accept.Add(AcceptJson);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (await response.Content.ReadFromJsonAsync(BaselineJson.Default.Ip1Authentication))?.Id;
    }

    public async Task<bool> Ip1VerifyAsync(string phone, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ip1Validate) { Content = Json(new Ip1Validate { Phone = phone, Code = code }, BaselineJson.Default.Ip1Validate) };
        request.Headers.Authorization = ip1Auth;
        request.Headers.Accept.Add(AcceptJson);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (await response.Content.ReadFromJsonAsync(BaselineJson.Default.Ip1Validation))?.Valid == true;
    }

    public async Task<string?> NinetyNineSendAsync(string from, string to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, nineSend) { Content = Form(("apiKey", "99-key"), ("from", from), ("to", to)) };
        request.Headers.Accept.Add(AcceptJson);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (await response.Content.ReadFromJsonAsync(BaselineJson.Default.NineSend))?.Unique;
    }

    public async Task<bool> NinetyNineVerifyAsync(string to, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, nineCheck) { Content = Form(("apiKey", "99-key"), ("to", to), ("code", code)) };
        request.Headers.Accept.Add(AcceptJson);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return (await response.Content.ReadFromJsonAsync(BaselineJson.Default.NineCheck))?.Status == 1;
    }

    private static ByteArrayContent Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, info));
        content.Headers.ContentType = JsonType;
        return content;
    }

    private static MultipartFormDataContent Form(params ReadOnlySpan<(string Name, string Value)> fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"" + name + "\"" };
            form.Add(part);
        }

        return form;
    }
}

public sealed class AmmSend
{
    [JsonPropertyName("verify_id")]
    public string? VerifyId { get; init; }
}

public sealed class AmmCheck
{
    [JsonPropertyName("verify_status")]
    public string? VerifyStatus { get; init; }
}

public sealed class Ip1New
{
    public required string Phone { get; init; }
}

public sealed class Ip1Validate
{
    public required string Phone { get; init; }

    public required string Code { get; init; }
}

public sealed class Ip1Authentication
{
    [JsonPropertyName("ID")]
    public long Id { get; init; }

    public DateTimeOffset? Expires { get; init; }
}

public sealed class Ip1Validation
{
    public bool Valid { get; init; }
}

public sealed class NineSend
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("unique")]
    public string? Unique { get; init; }

    [JsonPropertyName("timestamp")]
    public long Timestamp { get; init; }
}

public sealed class NineCheck
{
    [JsonPropertyName("status")]
    public int Status { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AmmSend))]
[JsonSerializable(typeof(AmmCheck))]
[JsonSerializable(typeof(Ip1New))]
[JsonSerializable(typeof(Ip1Validate))]
[JsonSerializable(typeof(Ip1Authentication))]
[JsonSerializable(typeof(Ip1Validation))]
[JsonSerializable(typeof(NineSend))]
[JsonSerializable(typeof(NineCheck))]
public sealed partial class BaselineJson : JsonSerializerContext;
