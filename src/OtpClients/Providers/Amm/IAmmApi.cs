using OtpClients.Http;
using Refit;

namespace OtpClients.Amm;

/// <summary>
/// AMM's SMS OTP v2 wire protocol as a Refit interface (source-generated client), one method per endpoint. Every call
/// carries HTTP Basic <c>AuthKey:AuthSecret</c> and <c>Accept: application/json</c>; POST bodies are
/// <c>application/x-www-form-urlencoded</c>. Answers come back as <see cref="HttpResponseMessage"/>, headers read,
/// body not yet: <see cref="ProviderTransport.ReceiveAsync"/> reads it with the size cap and maps error statuses
/// like any other answer (nothing is thrown as <c>ApiException</c>).
/// </summary>
[Headers("Accept: application/json")]
internal interface IAmmApi
{
    /// <summary><c>POST /sms/v2/verify/send</c>: sends a code.</summary>
    [Post("/sms/v2/verify/send")]
    Task<HttpResponseMessage> SendAsync(
        [Body] HttpContent form,
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    /// <summary><c>GET /sms/v2/verify/check?verify_id=…&amp;verify_code=…[&amp;ip_address=…]</c>: checks a code (and consumes an attempt).</summary>
    [Get("/sms/v2/verify/check")]
    Task<HttpResponseMessage> CheckAsync(
        [AliasAs("verify_id")] string verifyId,
        [AliasAs("verify_code")] string verifyCode,
        [AliasAs("ip_address")] string? ipAddress,
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    /// <summary><c>POST /sms/v2/verify/command</c> with <c>verify_id</c> and <c>command</c>: <c>DELETE</c> cancels a code.</summary>
    [Post("/sms/v2/verify/command")]
    Task<HttpResponseMessage> CommandAsync(
        [Body] HttpContent form,
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    /// <summary><c>GET /sms/v2/verify/search?verify_id=…</c>: the history of a code (a pure read).</summary>
    [Get("/sms/v2/verify/search")]
    Task<HttpResponseMessage> SearchAsync(
        [AliasAs("verify_id")] string verifyId,
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);
}

/// <summary>AMM's operations, for the resilience rules and for error messages.</summary>
internal static class AmmOperations
{
    public static readonly OtpOperation Send = new(OtpProviderNames.Amm, "send", isReadOnly: false) { RecipientLimitMarkers = [AmmErrors.AntispamCode] };
    public static readonly OtpOperation Check = new(OtpProviderNames.Amm, "check", isReadOnly: false);
    public static readonly OtpOperation Command = new(OtpProviderNames.Amm, "cancel", isReadOnly: false);
    public static readonly OtpOperation Search = new(OtpProviderNames.Amm, "search", isReadOnly: true);
}
