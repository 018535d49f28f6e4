using System.Collections.Frozen;
using OtpClients.Http;

namespace OtpClients.Amm;

/// <summary>
/// AMM's answers as data: every documented <c>errorMsg</c> (plus the platform family's BAD_CREDENTIALS and
/// BAD_CREDIT), the documented HTTP statuses, and every <c>verify_status</c>.
/// </summary>
internal static class AmmErrors
{
    /// <summary>The errorMsg of AMM's per-recipient limit: more than 10 SMS to one number in 60 minutes.</summary>
    public const string AntispamCode = "ANTISPAM";

    /// <summary>
    /// errorMsg → (error code, transient, explanation). Looked up ignoring case and surrounding white space (an error
    /// is an error however it is written; only the success value, <c>VERIFIED</c>, must be exact). Transient errors that
    /// the provider may have acted on are marked in <see cref="MayHaveActed"/>.
    /// </summary>
    public static readonly FrozenDictionary<string, (OtpErrorCode Code, bool Transient, string Text)> ByErrorMsg =
        new Dictionary<string, (OtpErrorCode, bool, string)>(StringComparer.OrdinalIgnoreCase)
        {
            [AntispamCode] = (OtpErrorCode.RateLimited, true, "more than 10 SMS to this recipient in the last 60 minutes"),
            ["BAD_TO"] = (OtpErrorCode.InvalidPhoneNumber, false, "the recipient (to) is not valid"),
            ["BAD_TEXT_PLACEHOLDER"] = (OtpErrorCode.InvalidMessage, false, "the text lacks ${verify_code} or holds placeholders AMM cannot replace"),
            ["BAD_TEXT"] = (OtpErrorCode.InvalidMessage, false, "the text is not valid"),
            ["BAD_FROM"] = (OtpErrorCode.InvalidSender, false, "the sender (from) is not valid"),
            ["BAD_ENCODING"] = (OtpErrorCode.InvalidRequest, false, "the encoding is not valid"),
            ["BAD_APP_ID"] = (OtpErrorCode.InvalidRequest, false, "the app_id is not valid"),
            ["BAD_COD_LEN"] = (OtpErrorCode.InvalidRequest, false, "the code length (code_len) is not valid"),
            ["BAD_RETRY"] = (OtpErrorCode.InvalidRequest, false, "max_retry is not valid"),
            ["BAD_TTL"] = (OtpErrorCode.InvalidRequest, false, "the ttl is not valid"),
            ["NO_CREDIT"] = (OtpErrorCode.InsufficientCredit, false, "the account has no credit left"),
            ["BAD_CREDIT"] = (OtpErrorCode.InsufficientCredit, false, "the account has no credit left"),
            ["GENERIC_ERROR"] = (OtpErrorCode.ProviderError, true, "internal error at AMM"),
            ["VERIFY ID ERROR"] = (OtpErrorCode.NotFound, false, "the verify_id is not valid"),
            ["BAD STATUS"] = (OtpErrorCode.InvalidRequest, false, "the code can no longer be cancelled (already verified, expired or cancelled)"),
            ["BAD_COMMAND"] = (OtpErrorCode.InvalidRequest, false, "the command is not valid"),
            ["NO_PARAMS"] = (OtpErrorCode.InvalidRequest, false, "no parameter was given"),
            ["BAD_CREDENTIALS"] = (OtpErrorCode.Unauthorized, false, "the credentials were refused"),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The documented HTTP statuses → (error code, transient, explanation).</summary>
    public static readonly FrozenDictionary<int, (OtpErrorCode Code, bool Transient, string Text)> ByHttpStatus =
        new Dictionary<int, (OtpErrorCode, bool, string)>
        {
            [401] = (OtpErrorCode.Unauthorized, false, "invalid credentials (check Amm.AuthKey and Amm.AuthSecret)"),
            [405] = (OtpErrorCode.ProviderError, false, "HTTP method not allowed (check Amm.BaseAddress)"),
            [500] = (OtpErrorCode.ProviderError, true, "generic error at AMM"),
        }.ToFrozenDictionary();

    /// <summary>The verify_status of a wrong code, and of a request whose attempts are spent (as <c>search</c> reports it).</summary>
    public const string FailedStatus = "FAILED";

    /// <summary>The one verify_status that verifies, compared exactly (case and white space included).</summary>
    public const string VerifiedStatus = "VERIFIED";

    /// <summary>
    /// verify_status (as a 200 <c>verify_status</c> or a 400 <c>errorMsg</c>) → verification status. Looked up ignoring
    /// case and surrounding white space for the refusals; <see cref="VerifiedStatus"/> verifies only written exactly.
    /// </summary>
    public static readonly FrozenDictionary<string, OtpVerificationStatus> ByVerifyStatus =
        new Dictionary<string, OtpVerificationStatus>(StringComparer.OrdinalIgnoreCase)
        {
            ["VERIFIED"] = OtpVerificationStatus.Verified,
            ["FAILED"] = OtpVerificationStatus.InvalidCode,
            ["EXPIRED"] = OtpVerificationStatus.Expired,
            ["VERIFY ID ERROR"] = OtpVerificationStatus.NotFound,
            ["REUSED"] = OtpVerificationStatus.AlreadyUsed,
            ["CANCELLED"] = OtpVerificationStatus.Cancelled,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Looks up a verify_status ignoring case and surrounding white space.</summary>
    public static bool TryGetVerifyStatus(string? status, out OtpVerificationStatus mapped)
    {
        mapped = default;
        return status is not null && ByVerifyStatus.TryGetValue(status.Trim(), out mapped);
    }

    /// <summary>
    /// Maps a failed answer (non-2xx, or a 2xx carrying an errorMsg) to an error. Provider text is cleaned of
    /// <paramref name="secrets"/> (code, number forms, credentials) and of anything that looks like a phone number.
    /// </summary>
    public static OtpError FromAnswer(int status, string? errorMsg, OtpOperation operation, TimeSpan? retryAfter, ReadOnlySpan<string?> secrets)
    {
        var code = errorMsg?.Trim();
        var clean = Clean(code, secrets);
        if (code is not null && ByErrorMsg.TryGetValue(code, out var row))
        {
            return Error(row, status, clean, operation, retryAfter) with { IsRecipientLimit = string.Equals(code, AntispamCode, StringComparison.OrdinalIgnoreCase) };
        }

        if (ByHttpStatus.TryGetValue(status, out var statusRow))
        {
            return Error(statusRow, status, clean, operation, retryAfter);
        }

        return HttpStatusErrors.FromStatus(status, operation, retryAfter, clean);
    }

    private static OtpError Error((OtpErrorCode Code, bool Transient, string Text) row, int status, string? providerCode, OtpOperation operation, TimeSpan? retryAfter) =>
        new(row.Code, $"{operation}: {(providerCode is null ? string.Empty : providerCode + ": ")}{row.Text} (HTTP {status}).")
        {
            ProviderCode = providerCode,
            HttpStatusCode = status,
            IsTransient = row.Transient,
            MayHaveBeenAccepted = MayHaveActed(row.Code, status) && operation.MayBeAcceptedOnFailure,
            RetryAfter = retryAfter,
        };

    /// <summary>Only an internal error at AMM leaves open whether it acted; refusals (4xx codes) did not.</summary>
    private static bool MayHaveActed(OtpErrorCode code, int status) => code == OtpErrorCode.ProviderError && (status >= 500 || status is >= 200 and <= 299 || status == 400);

    private static string? Clean(string? code, ReadOnlySpan<string?> secrets) => Diagnostics.Redactor.Clean(code, secrets) is { Length: <= 64 } clean ? clean : null;
}
