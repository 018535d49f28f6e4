using OtpClients.Http;
using Refit;

namespace OtpClients.Twilio;

/// <summary>
/// Twilio Verify v2's wire protocol: form-urlencoded bodies with PascalCase names, HTTP Basic, JSON answers in
/// snake_case. Answers come back as <see cref="HttpResponseMessage"/>, never thrown, and are read by
/// <see cref="TwilioVerifyOtpClient"/>.
/// </summary>
[Headers("Accept: application/json")]
internal interface ITwilioVerifyApi
{
    [Post("/v2/Services/{serviceSid}/Verifications")]
    Task<HttpResponseMessage> SendAsync(
        string serviceSid,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> body,
        [Header("Authorization")] string authorization,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    [Post("/v2/Services/{serviceSid}/VerificationCheck")]
    Task<HttpResponseMessage> CheckAsync(
        string serviceSid,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> body,
        [Header("Authorization")] string authorization,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    [Get("/v2/Services/{serviceSid}/Verifications/{sid}")]
    Task<HttpResponseMessage> GetAsync(
        string serviceSid,
        string sid,
        [Header("Authorization")] string authorization,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    [Post("/v2/Services/{serviceSid}/Verifications/{sid}")]
    Task<HttpResponseMessage> UpdateAsync(
        string serviceSid,
        string sid,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> body,
        [Header("Authorization")] string authorization,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);
}
