using System.Collections.Concurrent;
using System.Security.Cryptography;
using OtpClients.Emulator;

namespace OtpClients.Samples.WebApi;

/// <summary>
/// A minimal API that sends and verifies OTPs: AddOtpClient bound from appsettings.json (failover AMM → iP1),
/// POST /otp/send and POST /otp/verify, errors as ProblemDetails. With Otp:UseEmulator (Development) it starts the
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
        builder.Services.AddOtpClient(builder.Configuration.GetSection("Otp"));
        builder.Services.AddSingleton<ChallengeStore>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        app.MapPost("/otp/send", async (SendBody body, IOtpClient otp, ChallengeStore store, CancellationToken cancellationToken) =>
        {
            var result = await otp.SendAsync(new OtpSendRequest(body.Phone ?? string.Empty), cancellationToken);
            if (!result.IsSuccess)
            {
                return Problem(result.Error);
            }

            // The challenge stays on the server: the client gets an opaque token for it.
            var token = store.Add(result.Challenge);
            return Results.Ok(new SendAnswer(token, result.Challenge.ProviderName, result.Challenge.ExpiresAt));
        });

        app.MapPost("/otp/verify", async (VerifyBody body, IOtpClient otp, ChallengeStore store, CancellationToken cancellationToken) =>
        {
            if (body.Challenge is null || !store.TryGet(body.Challenge, out var challenge))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown challenge", detail: "Send a new code.");
            }

            var result = await otp.VerifyAsync(new OtpVerifyRequest(challenge, body.Code ?? string.Empty), cancellationToken);
            if (result.Error is not null)
            {
                return Problem(result.Error);
            }

            if (result.Status is not (OtpVerificationStatus.InvalidCode))
            {
                store.Remove(body.Challenge);
            }

            return Results.Ok(new VerifyAnswer(result.Status.ToString(), result.IsVerified));
        });

        return app;
    }

    /// <summary>Maps an <see cref="OtpError"/> to an HTTP problem an API client can act on.</summary>
    public static IResult Problem(OtpError error)
    {
        var status = error.Code switch
        {
            OtpErrorCode.InvalidRequest or OtpErrorCode.InvalidPhoneNumber or OtpErrorCode.InvalidSender or OtpErrorCode.InvalidMessage or OtpErrorCode.NotSupported => StatusCodes.Status400BadRequest,
            OtpErrorCode.RateLimited => StatusCodes.Status429TooManyRequests,
            OtpErrorCode.ProviderUnavailable or OtpErrorCode.Timeout or OtpErrorCode.NetworkError => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status502BadGateway,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code.ToString(), ["mayHaveBeenAccepted"] = error.MayHaveBeenAccepted };
        if (error.RetryAfter is { } retryAfter)
        {
            extensions["retryAfterSeconds"] = (int)Math.Ceiling(retryAfter.TotalSeconds);
        }

        return Results.Problem(statusCode: status, title: error.Code.ToString(), detail: error.Message, extensions: extensions);
    }
}

public sealed record SendBody(string? Phone);

public sealed record SendAnswer(string Challenge, string Provider, DateTimeOffset? ExpiresAt);

public sealed record VerifyBody(string? Challenge, string? Code);

public sealed record VerifyAnswer(string Status, bool Verified);

/// <summary>Challenges kept on the server, by an opaque token. A real app would use its session or a distributed cache.</summary>
public sealed class ChallengeStore
{
    private readonly ConcurrentDictionary<string, OtpChallenge> challenges = new(StringComparer.Ordinal);

    public string Add(OtpChallenge challenge)
    {
        var token = RandomNumberGenerator.GetHexString(32, lowercase: true);
        challenges[token] = challenge;
        return token;
    }

    public bool TryGet(string token, out OtpChallenge challenge) => challenges.TryGetValue(token, out challenge!);

    public void Remove(string token) => challenges.TryRemove(token, out _);
}
