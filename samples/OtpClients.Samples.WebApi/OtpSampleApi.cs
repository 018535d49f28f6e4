using OtpClients.Emulator;

namespace OtpClients.Samples.WebApi;

/// <summary>
/// A minimal API that sends and verifies OTPs: AddOtpClient bound from appsettings.json (failover AMM → iP1, the send
/// guard), verification sessions behind POST /otp/send and POST /otp/verify, errors as ProblemDetails. With Otp:UseEmulator (Development) it starts the
/// emulator in process and points both providers at it.
/// </summary>
public static class OtpSampleApi
{
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (builder.Configuration.GetValue<bool>("Otp:UseEmulator"))
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
        }

        builder.Services.AddProblemDetails();

        // Otp:SendGuard in appsettings.json turns the send guard on (SMS pumping, per-number and per-IP budgets);
        // IOtpVerificationSessions keeps each challenge on the server behind an opaque id.
        builder.Services.AddOtpClient(builder.Configuration.GetSection("Otp"));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapPost("/otp/send", async (SendBody body, HttpContext http, IOtpVerificationSessions sessions, CancellationToken cancellationToken) =>
        {
            var started = await sessions.StartAsync(
                new OtpSendRequest(body.Phone ?? string.Empty) { ClientIpAddress = http.Connection.RemoteIpAddress?.ToString() },
                cancellationToken);
            if (!started.IsSuccess)
            {
                return Problem(http, started.Error);
            }

            // The browser gets the session's opaque id; the challenge and the number stay on the server.
            return Results.Ok(new SendAnswer(started.VerificationId, started.ProviderName, started.ExpiresAt));
        });

        app.MapPost("/otp/verify", async (VerifyBody body, HttpContext http, IOtpVerificationSessions sessions, CancellationToken cancellationToken) =>
        {
            var result = await sessions.CheckAsync(body.VerificationId ?? string.Empty, body.Code ?? string.Empty, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
            if (result.Error is not null)
            {
                return Problem(http, result.Error);
            }

            if (result.Status == OtpVerificationStatus.NotFound)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown verification", detail: "The verification is unknown, used or expired: send a new code.");
            }

            // On success the number comes from the server's session: the one the code was texted to.
            return Results.Ok(new VerifyAnswer(result.Status.ToString(), result.IsVerified, result.IsVerified ? result.PhoneNumber : null));
        });

        return app;
    }

    /// <summary>Maps an <see cref="OtpError"/> to an HTTP problem, with <c>Retry-After</c> when the error has one.</summary>
    public static IResult Problem(HttpContext http, OtpError error)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(error);
        if (error.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Problem(error);
    }

    /// <summary>Maps an <see cref="OtpError"/> to an HTTP problem an API client can act on.</summary>
    public static IResult Problem(OtpError error)
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

        return Results.Problem(statusCode: status, title: error.Code.ToString(), detail: error.Message, extensions: extensions);
    }
}

public sealed record SendBody(string? Phone);

public sealed record SendAnswer(string VerificationId, string Provider, DateTimeOffset ExpiresAt);

public sealed record VerifyBody(string? VerificationId, string? Code);

public sealed record VerifyAnswer(string Status, bool Verified, string? PhoneNumber);
