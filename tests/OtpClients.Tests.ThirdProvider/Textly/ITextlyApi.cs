using System.Text.Json.Serialization;
using OtpClients.Http;
using Refit;

namespace OtpClients.Tests.ThirdProvider.Textly;

/// <summary>Textly's wire protocol: JSON, bearer token. Answers come back as <see cref="HttpResponseMessage"/>, never thrown.</summary>
[Headers("Accept: application/json")]
public interface ITextlyApi
{
    [Post("/v1/otp")]
    Task<HttpResponseMessage> SendAsync(
        [Body] TextlySendBody body,
        [Authorize("Bearer")] string token,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    [Post("/v1/otp/{id}/check")]
    Task<HttpResponseMessage> CheckAsync(
        string id,
        [Body] TextlyCheckBody body,
        [Authorize("Bearer")] string token,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);
}

public sealed record TextlySendBody([property: JsonPropertyName("to")] string To, [property: JsonPropertyName("template")] string Template);

public sealed record TextlyCheckBody([property: JsonPropertyName("code")] string Code);

public sealed record TextlySendAnswer([property: JsonPropertyName("id")] string? Id);

public sealed record TextlyCheckAnswer([property: JsonPropertyName("status")] string? Status);

[JsonSerializable(typeof(TextlySendBody))]
[JsonSerializable(typeof(TextlyCheckBody))]
[JsonSerializable(typeof(TextlySendAnswer))]
[JsonSerializable(typeof(TextlyCheckAnswer))]
public sealed partial class TextlyJsonContext : JsonSerializerContext;
