using System.Collections.Frozen;
using OtpClients.Http;

namespace OtpClients.NinetyNineDigital;

/// <summary>99digital's answers as data: the send <c>reason</c> codes.</summary>
/// <remarks>
/// Check answers only one documented status: <c>1</c>, verified. 99digital does not publish the rest of its check
/// status table, so every other value is treated as not verified (<see cref="OtpVerificationStatus.InvalidCode"/>,
/// fail closed) and kept raw in <see cref="OtpVerifyResult.ProviderStatus"/>.
/// </remarks>
internal static class NinetyNineDigitalErrors
{
    /// <summary>The check status that means verified, and the only one.</summary>
    public const string VerifiedStatus = "1";

    /// <summary>
    /// Send <c>reason</c> (with <c>status: "FAIL"</c>) → (error code, transient, explanation). 4 and 8 come from
    /// 99digital's plain-SMS API, which shares the table.
    /// </summary>
    public static readonly FrozenDictionary<string, (OtpErrorCode Code, bool Transient, string Text)> ByReason =
        new Dictionary<string, (OtpErrorCode, bool, string)>(StringComparer.Ordinal)
        {
            ["2"] = (OtpErrorCode.InvalidSender, false, "the sender (from) is too long or too short"),
            ["3"] = (OtpErrorCode.InvalidSender, false, "the sender number is not approved by 99digital"),
            ["4"] = (OtpErrorCode.InvalidMessage, false, "the message is too long"),
            ["5"] = (OtpErrorCode.ProviderError, true, "unknown error at 99digital"),
            ["6"] = (OtpErrorCode.Unauthorized, false, "wrong apiKey (check NinetyNineDigital.ApiKey)"),
            ["7"] = (OtpErrorCode.InvalidPhoneNumber, false, "the recipient (to) is empty"),
            ["8"] = (OtpErrorCode.InvalidMessage, false, "the message is empty"),
            ["9"] = (OtpErrorCode.InvalidSender, false, "the sender (from) is empty"),
            ["10"] = (OtpErrorCode.InvalidMessage, false, "the message lacks ##code##"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Maps a refused send (<c>status: "FAIL"</c>, or a non-2xx) to an error. Reason 5 ("unknown error") and any
    /// reason not in <see cref="ByReason"/> do not say the SMS was not sent: <see cref="OtpError.MayHaveBeenAccepted"/>
    /// is set (for a send), so nothing texts the user a second time.
    /// </summary>
    public static OtpError FromReason(int status, string? reason, OtpOperation operation, TimeSpan? retryAfter, ReadOnlySpan<string?> secrets)
    {
        var raw = Diagnostics.Redactor.Clean(reason?.Trim(), secrets) is { Length: <= 32 } clean ? clean : null;
        if (raw is not null && ByReason.TryGetValue(raw, out var row))
        {
            return new OtpError(row.Code, $"{operation}: reason {raw}: {row.Text} (HTTP {status}).")
            {
                ProviderCode = raw,
                HttpStatusCode = status,
                IsTransient = row.Transient,
                MayHaveBeenAccepted = row.Code == OtpErrorCode.ProviderError && operation.MayBeAcceptedOnFailure,
                RetryAfter = retryAfter,
            };
        }

        if (status is >= 200 and <= 299)
        {
            return new OtpError(OtpErrorCode.ProviderError, $"{operation}: 99digital refused the request with a reason it does not document ({raw ?? "none"}); it may have sent it (HTTP {status}).")
            {
                ProviderCode = raw,
                HttpStatusCode = status,
                MayHaveBeenAccepted = operation.MayBeAcceptedOnFailure,
            };
        }

        return HttpStatusErrors.FromStatus(status, operation, retryAfter, raw);
    }
}
