using System.Collections.Frozen;
using System.Text.Json;
using OtpClients.Diagnostics;
using OtpClients.Http;

namespace OtpClients.Ip1;

/// <summary>
/// iP1's error answers as data. iP1 does not document its error bodies: they are read as ASP.NET Web API errors
/// (<c>{"Message": …, "ModelState": {"model.Field": [...]}}</c>) when they are, and by HTTP status otherwise.
/// </summary>
internal static class Ip1Errors
{
    /// <summary>HTTP status → (error code, transient, explanation). From iP1's official samples: 400 faulty data, 401 bad credentials, 403 no credits.</summary>
    public static readonly FrozenDictionary<int, (OtpErrorCode Code, bool Transient, string Text)> ByHttpStatus =
        new Dictionary<int, (OtpErrorCode, bool, string)>
        {
            [400] = (OtpErrorCode.InvalidRequest, false, "iP1 refused the data as faulty"),
            [401] = (OtpErrorCode.Unauthorized, false, "iP1 refused the credentials (check Ip1.AccountId and Ip1.ApiKey)"),
            [403] = (OtpErrorCode.InsufficientCredit, false, "iP1 refused the request: the account has no credits"),
            [404] = (OtpErrorCode.NotFound, false, "iP1 does not know the authentication"),
            [429] = (OtpErrorCode.RateLimited, true, "iP1 throttled the request"),
        }.ToFrozenDictionary();

    /// <summary>The last segment of a ModelState key (<c>authentication.Phone</c> → <c>Phone</c>) → error code, for 400 answers.</summary>
    public static readonly FrozenDictionary<string, OtpErrorCode> ByModelStateField =
        new Dictionary<string, OtpErrorCode>(StringComparer.OrdinalIgnoreCase)
        {
            ["Phone"] = OtpErrorCode.InvalidPhoneNumber,
            ["MessageFormat"] = OtpErrorCode.InvalidMessage,
            ["From"] = OtpErrorCode.InvalidSender,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A word in iP1's <c>Message</c> → error code, for 400, 403 and 429 answers. iP1 does not document how it refuses a send
    /// over <c>ConcurrentLimit</c> (active authentications per phone); a message naming the limit maps to
    /// <see cref="OtpErrorCode.RateLimited"/>, transient: the limit frees up as authentications expire or are used.
    /// </summary>
    public static readonly FrozenDictionary<string, OtpErrorCode> ByMessageKeyword =
        new Dictionary<string, OtpErrorCode>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConcurrentLimit"] = OtpErrorCode.RateLimited,
            ["concurrent"] = OtpErrorCode.RateLimited,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Maps a non-2xx answer to an error, never echoing <paramref name="secrets"/> (code, phone forms).</summary>
    public static OtpError FromAnswer(int status, Ip1ErrorDto? body, OtpOperation operation, TimeSpan? retryAfter, ReadOnlySpan<string?> secrets)
    {
        var message = Redactor.Clean(body?.Message, secrets);
        var field = FirstModelStateField(body?.ModelState, out var fieldKey);
        OtpError error;
        if (status == 400 && field is not null && ByModelStateField.TryGetValue(field, out var fieldCode))
        {
            error = new OtpError(fieldCode, $"{operation}: iP1 refused the field {field} (HTTP 400).") { HttpStatusCode = status };
        }
        else if (status is 400 or 403 or 429 && message is not null && KeywordCode(message) is { } keywordCode)
        {
            // A per-recipient limit, whatever the status: never retried, never failed over (another provider would text the same person).
            error = new OtpError(keywordCode, $"{operation}: iP1 refused the request: too many active authentications for this phone number (ConcurrentLimit) (HTTP {status}).")
            {
                HttpStatusCode = status,
                IsTransient = true,
                IsRecipientLimit = true,
            };
        }
        else if (ByHttpStatus.TryGetValue(status, out var row))
        {
            error = new OtpError(row.Code, $"{operation}: {row.Text} (HTTP {status}).") { HttpStatusCode = status, IsTransient = row.Transient };
        }
        else
        {
            error = HttpStatusErrors.FromStatus(status, operation);
        }

        return error with
        {
            Message = message is null ? error.Message : $"{error.Message} iP1 said: {message}",
            ProviderCode = Redactor.Clean(fieldKey, secrets),
            RetryAfter = retryAfter,
        };
    }

    private static OtpErrorCode? KeywordCode(string message)
    {
        foreach (var (keyword, code) in ByMessageKeyword)
        {
            if (message.Contains(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return code;
            }
        }

        return null;
    }

    private static string? FirstModelStateField(JsonElement? modelState, out string? key)
    {
        key = null;
        if (modelState is not { ValueKind: JsonValueKind.Object } state)
        {
            return null;
        }

        string? fallback = null;
        foreach (var property in state.EnumerateObject())
        {
            var name = property.Name;
            var field = name[(name.LastIndexOf('.') + 1)..];
            if (ByModelStateField.ContainsKey(field))
            {
                key = name;
                return field;
            }

            fallback ??= name;
        }

        key = fallback;
        return fallback?[(fallback.LastIndexOf('.') + 1)..];
    }
}
