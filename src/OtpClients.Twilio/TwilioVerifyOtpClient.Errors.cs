using System.Globalization;
using OtpClients.Http;

namespace OtpClients.Twilio;

/// <summary>Twilio Verify: its error table and the mapping of refusals and transport failures.</summary>
public sealed partial class TwilioVerifyOtpClient
{
    /// <summary>Twilio's error codes an OTP client meets, and what each means here (the table of <c>provider-docs</c>).</summary>
    internal static readonly IReadOnlyDictionary<int, (OtpErrorCode Code, bool Transient, bool RecipientLimit, string Meaning)> Errors = new Dictionary<int, (OtpErrorCode, bool, bool, string)>
    {
        [20003] = (OtpErrorCode.Unauthorized, false, false, "authentication failed: check Twilio.AccountSid and its Auth Token or API key"),
        [20429] = (OtpErrorCode.RateLimited, true, false, "too many requests for the account"),
        [60200] = (OtpErrorCode.InvalidRequest, false, false, "a parameter is not valid"),
        [60203] = (OtpErrorCode.RateLimited, false, true, "too many codes were sent to this number (5 per verification)"),
        [60205] = (OtpErrorCode.InvalidPhoneNumber, false, false, "the number is a landline, which cannot receive SMS"),
        [60212] = (OtpErrorCode.RateLimited, false, true, "too many concurrent requests for this number"),
        [60223] = (OtpErrorCode.NotSupported, false, false, "the channel is disabled for the service"),
        [60238] = (OtpErrorCode.NotSupported, false, false, "Twilio blocked the verification"),
        [60410] = (OtpErrorCode.Blocked, false, false, "Twilio's Fraud Guard blocked this number as a likely SMS pumping target; no other provider is tried for it"),
        [60605] = (OtpErrorCode.NotSupported, false, false, "the number's country is blocked by the account's geo permissions"),
    };

    /// <summary>A failure before an answer, as the SDK maps it for every provider (timeouts, an open circuit, the connection).</summary>
    private static OtpError? Transport(Exception exception, OtpOperation operation, CancellationToken cancellationToken) =>
        OtpTransportErrors.TryMap(exception, operation, cancellationToken, out var error) ? error : null;

    /// <summary>Maps a refusal: Twilio's <c>code</c> first (<see cref="Errors"/>), its HTTP status otherwise.</summary>
    private static OtpError Error(HttpResponseMessage response, OtpProviderAnswer answer, bool mayHaveBeenAccepted)
    {
        var status = (int)response.StatusCode;
        var code = CodeOf(answer);
        var retryAfter = answer.RetryAfter;
        if (code is { } known && Errors.TryGetValue(known, out var row))
        {
            return new OtpError(row.Code, $"Twilio refused the request ({known}): {row.Meaning}.")
            {
                ProviderCode = known.ToString(CultureInfo.InvariantCulture),
                HttpStatusCode = status,
                IsTransient = row.Transient,
                IsRecipientLimit = row.RecipientLimit,
                RetryAfter = retryAfter,
            };
        }

        var providerCode = code?.ToString(CultureInfo.InvariantCulture);
        return status switch
        {
            400 => new OtpError(OtpErrorCode.InvalidRequest, $"Twilio refused the request (HTTP 400{(code is null ? string.Empty : $", code {code}")}).") { ProviderCode = providerCode, HttpStatusCode = status },
            401 or 403 => new OtpError(OtpErrorCode.Unauthorized, "Twilio refused the credentials: check Twilio.AccountSid and its Auth Token or API key.") { ProviderCode = providerCode, HttpStatusCode = status },
            429 => new OtpError(OtpErrorCode.RateLimited, "Twilio throttled the request.") { ProviderCode = providerCode, HttpStatusCode = status, IsTransient = true, RetryAfter = retryAfter },
            503 => new OtpError(OtpErrorCode.ProviderUnavailable, "Twilio is unavailable.") { ProviderCode = providerCode, HttpStatusCode = status, IsTransient = true, RetryAfter = retryAfter },
            >= 500 => new OtpError(OtpErrorCode.ProviderError, $"Twilio failed (HTTP {status}).") { ProviderCode = providerCode, HttpStatusCode = status, IsTransient = true, MayHaveBeenAccepted = mayHaveBeenAccepted },
            >= 300 and < 400 => new OtpError(OtpErrorCode.UnexpectedResponse, $"Twilio answered with a redirect (HTTP {status}), which is not followed.") { HttpStatusCode = status },
            _ => new OtpError(OtpErrorCode.ProviderError, $"Twilio refused the request (HTTP {status}{(code is null ? string.Empty : $", code {code}")}).") { ProviderCode = providerCode, HttpStatusCode = status },
        };
    }

    private static int? CodeOf(OtpProviderAnswer answer) => answer.TryGetInt32("code", out var code) ? code : null;
}
