using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpClients.Emulator;

namespace OtpClients.Samples.WebApi;

/// <summary>
/// A minimal API that sends and verifies OTPs: AddOtpClient bound from appsettings.json (failover AMM → iP1, the send
/// guard, delivery health), verification sessions behind POST /otp/send, POST /otp/resend and POST /otp/verify, errors as ProblemDetails (a malformed
/// body too: 400 naming the problem, in every environment), an OpenAPI document at /openapi/v1.json and the providers'
/// health at /health. With UseOtpEmulator, or when no provider credentials are set, it starts the emulator in process,
/// points both providers at it and prints where to read the codes.
/// </summary>
public static class OtpSampleApi
{
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        // Settings are read from the project's folder when it is there (an edit of appsettings.json takes effect on the
        // next start, no rebuild), else from beside the binary (a published app).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = SampleContentRoot.Find(typeof(OtpSampleApi).Assembly) });
        var noCredentials = string.IsNullOrEmpty(builder.Configuration["Otp:Amm:AuthKey"]) && string.IsNullOrEmpty(builder.Configuration["Otp:Ip1:ApiKey"]);
        var useEmulator = builder.Configuration.GetValue<bool>("UseOtpEmulator");
        if (noCredentials && !useEmulator && !builder.Environment.IsDevelopment())
        {
            // A misnamed secret in Production must not silently stop real SMS: refuse to start instead.
            throw new InvalidOperationException($"No provider credentials (Otp:Amm:AuthKey, Otp:Ip1:ApiKey) in the {builder.Environment.EnvironmentName} environment: set them, or set UseOtpEmulator=true to text through the emulator on purpose.");
        }

        if (useEmulator || noCredentials)
        {
            var emulator = await OtpEmulator.StartAsync();
            builder.Services.AddSingleton(_ => emulator); // created by a factory, so the container disposes it on shutdown
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Otp:Amm:BaseAddress"] = emulator.BaseAddress.ToString(),
                ["Otp:Amm:AuthKey"] = emulator.Credentials.AmmAuthKey,
                ["Otp:Amm:AuthSecret"] = emulator.Credentials.AmmAuthSecret,
                ["Otp:Ip1:BaseAddress"] = emulator.BaseAddress.ToString(),
                ["Otp:Ip1:AccountId"] = emulator.Credentials.Ip1AccountId,
                ["Otp:Ip1:ApiKey"] = emulator.Credentials.Ip1ApiKey,
            });
            Console.WriteLine($"No provider credentials (Otp:Amm:AuthKey, Otp:Ip1:ApiKey): texting through the OtpClients emulator at {emulator.BaseAddress}");
            Console.WriteLine($"Read the codes it sent at {emulator.BaseAddress}_emulator/messages");
        }

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        // A body that is not JSON, is empty or has a wrong type throws BadHttpRequestException in every environment,
        // and BadRequestExceptionHandler answers it with a 400 ProblemDetails that names the problem.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        // The sample fails over from AMM to iP1: one provider's open circuit still leaves a way to send, so it reports
        // Degraded, not Unhealthy (a readiness probe would otherwise pull every instance out at once).
        builder.Services.AddHealthChecks().AddOtpClient(failureStatus: HealthStatus.Degraded);

        // Otp:SendGuard in appsettings.json turns the send guard on (SMS pumping, per-number and per-IP budgets);
        // IOtpVerificationSessions keeps each challenge on the server behind an opaque id.
        builder.Services.AddOtpClient(builder.Configuration.GetSection("Otp"));

        var app = builder.Build();
        var development = app.Environment.IsDevelopment();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (development)
        {
            app.MapOpenApi(); // the API's shape is for its developers; not served in Production
        }

        // The providers' chain and circuit states in Development; elsewhere only the status, for a probe.
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = development ? WriteHealthAsync : WriteStatusAsync });

        app.MapPost("/otp/send", async Task<Results<Ok<SendAnswer>, ProblemHttpResult>> (SendBody body, HttpContext http, IOtpVerificationSessions sessions, CancellationToken cancellationToken) =>
        {
            var started = await sessions.StartAsync(
                new OtpSendRequest(body.Phone ?? string.Empty) { ClientIpAddress = http.Connection.RemoteIpAddress?.ToString() },
                cancellationToken);
            if (!started.IsSuccess)
            {
                // A refusal for the number itself (its cooldown, its budget) is answered as what it is: 429 with
                // Retry-After. A decoy "sent" answer was tried and could be told apart in one free request (its resend,
                // its check and its provider differed from a real session's), so it is not offered: see the README.
                return Problem(http, started.Error);
            }

            // The browser gets the session's opaque id; the challenge, the number and the provider stay on the server
            // (naming the provider would let anyone watch delivery health reorder the route).
            return TypedResults.Ok(new SendAnswer(started.VerificationId, started.ExpiresAt));
        })
        .WithName("SendCode")
        .WithSummary("Texts a one-time code to a phone number and opens a verification session.")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status502BadGateway)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapPost("/otp/resend", async Task<Results<Ok<SendAnswer>, ProblemHttpResult>> (ResendBody body, HttpContext http, IOtpVerificationSessions sessions, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrEmpty(body.VerificationId))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "verificationId is required", detail: "Send the verificationId that /otp/send returned.");
            }

            // The same session, a new code through the next provider of the route (delivery health picks it): for a
            // user whose SMS did not come. The send guard counts it as a send (its cooldown says when it may go).
            var resent = await sessions.ResendAsync(body.VerificationId, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
            if (!resent.IsSuccess)
            {
                return resent.Error.Code == OtpErrorCode.NotFound
                    ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown verification", detail: "The verification is unknown, used or expired: send a new code.")
                    : Problem(http, resent.Error);
            }

            return TypedResults.Ok(new SendAnswer(resent.VerificationId, resent.ExpiresAt));
        })
        .WithName("ResendCode")
        .WithSummary("Texts a new code for a verification session whose SMS did not arrive, through another provider when the route has one.")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status502BadGateway)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapPost("/otp/verify", async Task<Results<Ok<VerifyAnswer>, ProblemHttpResult>> (VerifyBody body, HttpContext http, IOtpVerificationSessions sessions, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(body.VerificationId) || string.IsNullOrWhiteSpace(body.Code))
            {
                // Nothing to check: a 400 that spends none of the session's attempts.
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "verificationId and code are required", detail: "Send the verificationId that /otp/send returned and the code the user typed.");
            }

            var result = await sessions.CheckAsync(body.VerificationId, body.Code, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
            if (result.Error is not null)
            {
                return Problem(http, result.Error);
            }

            if (result.Status == OtpVerificationStatus.NotFound)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown verification", detail: "The verification is unknown, used or expired: send a new code.");
            }

            // On success the number comes from the server's session: the one the code was texted to.
            return TypedResults.Ok(new VerifyAnswer(result.Status.ToString(), result.IsVerified, result.IsVerified ? result.PhoneNumber : null));
        })
        .WithName("VerifyCode")
        .WithSummary("Checks a code against a verification session; on success answers the verified number.")
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status502BadGateway)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    /// <summary>Writes the health report as JSON: the status and, per check, its status, description and data (no secrets).</summary>
    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    /// <summary>Writes only the overall health status: what a probe needs, nothing about the providers.</summary>
    private static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }));
    }

    /// <summary>Maps an <see cref="OtpError"/> to an HTTP problem, with <c>Retry-After</c> when the error has one.</summary>
    public static ProblemHttpResult Problem(HttpContext http, OtpError error)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(error);
        if (error.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Problem(error, http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment());
    }

    /// <summary>
    /// Maps an <see cref="OtpError"/> to an HTTP problem an API client can act on: the error code always; the message
    /// (which may carry a provider's text: account names, balances) only in Development.
    /// </summary>
    public static ProblemHttpResult Problem(OtpError error, bool development = false)
    {
        var status = error.Code switch
        {
            OtpErrorCode.InvalidRequest or OtpErrorCode.InvalidPhoneNumber or OtpErrorCode.InvalidSender or OtpErrorCode.InvalidMessage or OtpErrorCode.NotSupported => StatusCodes.Status400BadRequest,
            OtpErrorCode.RateLimited => StatusCodes.Status429TooManyRequests,
            OtpErrorCode.Blocked => StatusCodes.Status403Forbidden,
            OtpErrorCode.ProviderUnavailable or OtpErrorCode.Timeout or OtpErrorCode.NetworkError => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status502BadGateway,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code.ToString(), ["mayHaveBeenAccepted"] = error.MayHaveBeenAccepted };
        if ((error.Code is OtpErrorCode.RateLimited or OtpErrorCode.Blocked) && error.ProviderCode is { } rule)
        {
            extensions["rule"] = rule; // the send guard's rule, or the provider's code
        }

        if (error.RetryAfter is { } retryAfter)
        {
            extensions["retryAfterSeconds"] = (int)Math.Ceiling(retryAfter.TotalSeconds);
        }

        var detail = development || error.ProviderCode is not null && error.Code is OtpErrorCode.RateLimited or OtpErrorCode.Blocked
            ? error.Message // the guard's own messages name the rule and the setting, never a provider's text
            : DescribeForClients(error.Code);
        return TypedResults.Problem(statusCode: status, title: error.Code.ToString(), detail: detail, extensions: extensions);
    }

    private static string DescribeForClients(OtpErrorCode code) => code switch
    {
        OtpErrorCode.InvalidPhoneNumber => "The phone number is not valid: give it in international form, with its country code.",
        OtpErrorCode.InvalidRequest or OtpErrorCode.InvalidSender or OtpErrorCode.InvalidMessage => "The request is not valid.",
        OtpErrorCode.NotSupported => "Codes cannot be sent to this number.",
        OtpErrorCode.ProviderUnavailable or OtpErrorCode.Timeout or OtpErrorCode.NetworkError => "The SMS service is unavailable: try again in a moment.",
        _ => "The SMS service could not complete the request.",
    };
}

/// <summary>
/// Answers a request the endpoint could not read (an empty body, a body that is not JSON, a wrong type) with a 400
/// ProblemDetails naming the problem, instead of a 500. The detail never repeats the body.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var detail = bad.InnerException is JsonException json
            ? $"{bad.Message} {Describe(json)}"
            : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Title = "The request body could not be read", Detail = detail },
        });
    }

    /// <summary>Where the JSON went wrong (path, line, position), without the offending value.</summary>
    private static string Describe(JsonException json) =>
        $"The JSON is malformed or has a wrong type at {json.Path ?? "$"} (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1}).";
}

public sealed record SendBody(string? Phone);

public sealed record SendAnswer(string VerificationId, DateTimeOffset ExpiresAt);

public sealed record VerifyBody(string? VerificationId, string? Code);

public sealed record ResendBody(string? VerificationId);

public sealed record VerifyAnswer(string Status, bool Verified, string? PhoneNumber);
