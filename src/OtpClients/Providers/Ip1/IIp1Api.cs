using OtpClients.Http;
using Refit;

namespace OtpClients.Ip1;

/// <summary>
/// iP1's authentications wire protocol as a Refit interface (source-generated client), one method per endpoint.
/// HTTP Basic <c>AccountId:ApiKey</c>, <c>Accept: application/json</c>, JSON bodies with iP1's PascalCase names
/// written through <see cref="Ip1JsonContext"/> (no reflection) and sent with a <c>Content-Length</c>. Answers come
/// back as <see cref="HttpResponseMessage"/>, headers read, body not yet: <see cref="ProviderTransport.ReceiveAsync"/>
/// reads it with the size cap and maps error statuses like any other answer.
/// </summary>
[Headers("Accept: application/json")]
internal interface IIp1Api
{
    /// <summary><c>POST /api/authentications</c>: creates and sends an authentication.</summary>
    [Post("/api/authentications")]
    Task<HttpResponseMessage> CreateAsync(
        [Body] HttpContent body,
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    /// <summary><c>POST /api/authentications/validate</c>: checks (and on success consumes) a code, keyed by phone and code.</summary>
    [Post("/api/authentications/validate")]
    Task<HttpResponseMessage> ValidateAsync(
        [Body] HttpContent body,
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    /// <summary><c>GET /api/authentications/{id}</c>.</summary>
    [Get("/api/authentications/{id}")]
    Task<HttpResponseMessage> GetAsync(
        long id,
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    /// <summary><c>GET /api/authentications</c>.</summary>
    [Get("/api/authentications")]
    Task<HttpResponseMessage> ListAsync(
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    /// <summary><c>GET /api/authentications/settings</c>.</summary>
    [Get("/api/authentications/settings")]
    Task<HttpResponseMessage> GetSettingsAsync(
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);

    /// <summary><c>PUT /api/authentications/settings</c>: replaces the account defaults (null = unset).</summary>
    [Put("/api/authentications/settings")]
    Task<HttpResponseMessage> UpdateSettingsAsync(
        [Body] HttpContent body,
        [Authorize("Basic")] string credentials,
        [Property(OtpOperation.PropertyKey)] OtpOperation operation,
        CancellationToken cancellationToken);
}

/// <summary>iP1's operations, for the resilience rules and for error messages.</summary>
internal static class Ip1Operations
{
    public static readonly OtpOperation Create = new(OtpProviderNames.Ip1, "send", isReadOnly: false) { RecipientLimitMarkers = ["ConcurrentLimit", "concurrent"] };
    public static readonly OtpOperation Validate = new(OtpProviderNames.Ip1, "validate", isReadOnly: false);
    public static readonly OtpOperation Get = new(OtpProviderNames.Ip1, "get authentication", isReadOnly: true);
    public static readonly OtpOperation List = new(OtpProviderNames.Ip1, "list authentications", isReadOnly: true);
    public static readonly OtpOperation GetSettings = new(OtpProviderNames.Ip1, "get settings", isReadOnly: true);
    public static readonly OtpOperation UpdateSettings = new(OtpProviderNames.Ip1, "update settings", isReadOnly: false);
}
