using System.Net.Http.Json;
using OtpClients.Http;
using Refit;

namespace OtpClients.Tests.ThirdProvider.Textly;

/// <summary>
/// The Textly client. It serves one region (<see cref="TextlyOptions.Region"/>): any other number is
/// <see cref="OtpErrorCode.NotSupported"/> before any HTTP call, so failover moves on. Its template placeholder is
/// <c>%CODE%</c>. It records no telemetry itself: <c>AddOtpClient</c> does it around it.
/// </summary>
public sealed class TextlyOtpClient : IOtpClient
{
    public const string Name = "Textly";

    internal static readonly OtpOperation Send = new(Name, "send", isReadOnly: false);
    internal static readonly OtpOperation Check = new(Name, "check", isReadOnly: false);

    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(TextlyJsonContext.Default.Options))
    {
        TransportExceptionFactory = static (_, exception, _) => exception,
        Buffered = true,
    };

    private readonly ITextlyApi api;
    private readonly TextlyOptions options;

    /// <summary>Creates the client over an <see cref="HttpClient"/> whose base address is <see cref="OtpProviderOptions.BaseAddress"/>.</summary>
    public TextlyOtpClient(HttpClient httpClient, TextlyOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        api = RestService.ForGenerated<ITextlyApi>(httpClient, Settings);
    }

    public string ProviderName => Name;

    public async Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!PhoneNumber.TryParse(request.PhoneNumber, out var phone))
        {
            return OtpSendResult.Failure(new OtpError(OtpErrorCode.InvalidPhoneNumber, "PhoneNumber is not a valid phone number."));
        }

        if (!string.Equals(phone.RegionCode, options.Region, StringComparison.OrdinalIgnoreCase))
        {
            return OtpSendResult.Failure(new OtpError(OtpErrorCode.NotSupported, $"Textly serves {options.Region} numbers only."));
        }

        var template = MessageTemplate.Parse(request.MessageTemplate ?? "Your code is {code}").Render("%CODE%");
        try
        {
            using var response = await api.SendAsync(new TextlySendBody(phone.E164, template), options.ApiToken!, Send, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return OtpSendResult.Failure(FromStatus((int)response.StatusCode, mayHaveBeenAccepted: (int)response.StatusCode >= 500 && (int)response.StatusCode != 503));
            }

            var answer = await response.Content.ReadFromJsonAsync(TextlyJsonContext.Default.TextlySendAnswer, cancellationToken).ConfigureAwait(false);
            return answer?.Id is { Length: > 0 } id
                ? OtpSendResult.Success(new OtpChallenge(Name, id, phone.E164))
                : OtpSendResult.Failure(new OtpError(OtpErrorCode.UnexpectedResponse, "Textly send: no id.") { MayHaveBeenAccepted = true });
        }
        catch (Exception ex) when (OtpTransportErrors.TryMap(ex, Send, cancellationToken, out var error))
        {
            return OtpSendResult.Failure(error); // timeouts, an open circuit, the connection: as the SDK maps them for every provider
        }
    }

    public async Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Challenge);
        if (request.Challenge.ProviderName != Name)
        {
            return OtpVerifyResult.Failure(new OtpError(OtpErrorCode.InvalidRequest, "The challenge is not Textly's."));
        }

        HttpResponseMessage sent;
        try
        {
            sent = await api.CheckAsync(request.Challenge.Id, new TextlyCheckBody(request.Code), options.ApiToken!, Check, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (OtpTransportErrors.TryMap(ex, Check, cancellationToken, out var error))
        {
            return OtpVerifyResult.Failure(error);
        }

        using var response = sent;
        if (!response.IsSuccessStatusCode)
        {
            return OtpVerifyResult.Failure(FromStatus((int)response.StatusCode, mayHaveBeenAccepted: (int)response.StatusCode >= 500));
        }

        var answer = await response.Content.ReadFromJsonAsync(TextlyJsonContext.Default.TextlyCheckAnswer, cancellationToken).ConfigureAwait(false);
        return answer?.Status switch
        {
            "approved" => OtpVerifyResult.Verified("approved"),
            "wrong_code" => OtpVerifyResult.Rejected(OtpVerificationStatus.InvalidCode, "wrong_code"),
            "expired" => OtpVerifyResult.Rejected(OtpVerificationStatus.Expired, "expired"),
            _ => OtpVerifyResult.Failure(new OtpError(OtpErrorCode.UnexpectedResponse, "Textly check: unknown status.") { MayHaveBeenAccepted = true }),
        };
    }

    private static OtpError FromStatus(int status, bool mayHaveBeenAccepted) => status switch
    {
        401 or 403 => new OtpError(OtpErrorCode.Unauthorized, "Textly refused the token.") { HttpStatusCode = status },
        429 => new OtpError(OtpErrorCode.RateLimited, "Textly throttled the request.") { HttpStatusCode = status, IsTransient = true },
        503 => new OtpError(OtpErrorCode.ProviderUnavailable, "Textly is unavailable.") { HttpStatusCode = status, IsTransient = true },
        _ => new OtpError(OtpErrorCode.ProviderError, $"Textly answered HTTP {status}.") { HttpStatusCode = status, IsTransient = status >= 500, MayHaveBeenAccepted = mayHaveBeenAccepted },
    };
}
