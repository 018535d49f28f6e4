using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpClients.Emulator.Providers;

/// <summary>
/// AMM's SMS OTP v2 as documented: send, check, command (DELETE) and search, HTTP Basic, errors as
/// <c>{"errorMsg": …, "errorCode": …}</c>. Where AMM documents nothing the emulator chooses, and says so: a request's
/// status is PENDING until it is verified, cancelled, expired, or FAILED once its attempts are spent; a new code for
/// the same recipient and <c>app_id</c> cancels the active one.
/// </summary>
internal sealed class AmmEmulator(EmulatorState state)
{
    private const string Placeholder = "${verify_code}";
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> sendsByRecipient = new(StringComparer.Ordinal);
    private long nextSmsId = 410065822;

    /// <summary>The state of the code of one request, or <see langword="null"/> when the id is unknown.</summary>
    public OtpEmulatorCodeStatus? StatusOf(string id)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(id, out var entry))
            {
                return null;
            }

            var codeState = entry.Status(state.Now) switch
            {
                "VERIFIED" => OtpEmulatorCodeState.Verified,
                "CANCELLED" => OtpEmulatorCodeState.Cancelled,
                "FAILED" => OtpEmulatorCodeState.Failed,
                "EXPIRED" => OtpEmulatorCodeState.Expired,
                _ => OtpEmulatorCodeState.Pending,
            };
            return new OtpEmulatorCodeStatus(codeState, entry.FailedAttempts, entry.MaxRetry, entry.ValidUntil);
        }
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        if (!Http.IsBasic(context, state.Credentials.AmmAuthKey, state.Credentials.AmmAuthSecret))
        {
            await Error(context, 401, "BAD_CREDENTIALS").ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        switch (path.ToLowerInvariant())
        {
            case "/sms/v2/verify/send" when HttpMethods.IsPost(method):
                await SendAsync(context).ConfigureAwait(false);
                break;
            case "/sms/v2/verify/check" when HttpMethods.IsGet(method):
                await CheckAsync(context).ConfigureAwait(false);
                break;
            case "/sms/v2/verify/command" when HttpMethods.IsPost(method):
                await CommandAsync(context).ConfigureAwait(false);
                break;
            case "/sms/v2/verify/search" when HttpMethods.IsGet(method):
                await SearchAsync(context).ConfigureAwait(false);
                break;
            case "/sms/v2/verify/send" or "/sms/v2/verify/check" or "/sms/v2/verify/command" or "/sms/v2/verify/search":
                context.Response.StatusCode = 405;
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private async Task SendAsync(HttpContext context)
    {
        var form = await Http.ReadFormAsync(context).ConfigureAwait(false);
        if (form is null || form.Count == 0)
        {
            await Error(context, 400, "NO_PARAMS").ConfigureAwait(false);
            return;
        }

        var to = form["to"].ToString();
        var text = form["text"].ToString();
        // Optional fields sent empty are absent, as the SDK treats them.
        var from = Optional(form, "from");
        var encoding = Optional(form, "encoding");
        var appId = Optional(form, "app_id");
        var sandbox = string.Equals(form["sandbox"].ToString(), "true", StringComparison.OrdinalIgnoreCase);
        var codeLengthValid = TryInt(form, "code_len", 4, 4, 6, out var codeLength);
        var maxRetryValid = TryInt(form, "max_retry", 3, 1, 20, out var maxRetry);
        var ttlValid = TryInt(form, "ttl", 300, 10, int.MaxValue, out var ttl);
        var errorMsg =
            !Http.IsDigits(to, 8, 15) ? "BAD_TO"
            : string.IsNullOrWhiteSpace(text) ? "BAD_TEXT"
            : !text.Contains(Placeholder, StringComparison.Ordinal) || text.Replace(Placeholder, string.Empty, StringComparison.Ordinal).Contains("${", StringComparison.Ordinal) ? "BAD_TEXT_PLACEHOLDER"
            : text.Length > 5 * 153 ? "BAD_TEXT"
            : from is not null && !IsSender(from) ? "BAD_FROM"
            : encoding is not null && encoding is not ("7BIT" or "UCS2" or "AUTO") ? "BAD_ENCODING"
            : appId is not null && (appId.Length is 0 or > 64 || appId.Any(char.IsControl)) ? "BAD_APP_ID"
            : !codeLengthValid ? "BAD_COD_LEN"
            : !maxRetryValid ? "BAD_RETRY"
            : !ttlValid ? "BAD_TTL"
            : null;
        if (errorMsg is not null)
        {
            await Error(context, 400, errorMsg).ConfigureAwait(false);
            return;
        }

        var now = state.Now;
        Entry entry;
        lock (gate)
        {
            var sends = sendsByRecipient.TryGetValue(to, out var list) ? list : sendsByRecipient[to] = [];
            sends.RemoveAll(t => now - t >= TimeSpan.FromMinutes(60));
            if (sends.Count >= state.Options.AmmAntispamLimit)
            {
                entry = null!;
            }
            else
            {
                sends.Add(now);
                if (appId is not null)
                {
                    foreach (var active in entries.Values.Where(x => x.To == to && x.AppId == appId && x.Status(now) == "PENDING"))
                    {
                        active.Cancelled = true;
                    }
                }

                entry = new Entry(
                    System.Security.Cryptography.RandomNumberGenerator.GetHexString(40, lowercase: true),
                    to,
                    from,
                    state.NewCode(OtpProviderNames.Amm, codeLength, numericOnly: true),
                    now,
                    now.AddSeconds(ttl),
                    maxRetry,
                    sandbox,
                    appId,
                    (++nextSmsId).ToString(CultureInfo.InvariantCulture));
                entries[entry.Id] = entry;
            }
        }

        if (entry is null)
        {
            await Error(context, 400, "ANTISPAM").ConfigureAwait(false);
            return;
        }

        state.Send(new OtpEmulatorMessage(OtpProviderNames.Amm, entry.Id, Http.E164(to), from, text.Replace(Placeholder, entry.Code, StringComparison.Ordinal), entry.Code, now) { Sandbox = sandbox });
        await Http.WriteJsonAsync(context, 200, new JsonObject { ["verify_id"] = entry.Id }).ConfigureAwait(false);
    }

    private async Task CheckAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var id = query["verify_id"].ToString();
        var code = query["verify_code"].ToString();
        var ip = query.TryGetValue("ip_address", out var i) && !string.IsNullOrWhiteSpace(i.ToString()) ? i.ToString() : null;
        string? status;
        string? smsId = null;
        lock (gate)
        {
            if (!entries.TryGetValue(id, out var entry))
            {
                status = null;
            }
            else
            {
                var now = state.Now;
                smsId = entry.SmsId;
                status = entry.Status(now) switch
                {
                    "CANCELLED" => "CANCELLED",
                    "VERIFIED" => "REUSED",
                    "EXPIRED" => "EXPIRED",
                    "FAILED" => "FAILED",
                    _ when string.Equals(code, entry.Code, StringComparison.Ordinal) => "VERIFIED",
                    _ => "FAILED",
                };
                if (status == "VERIFIED")
                {
                    entry.Verified = true;
                }
                else if (status == "FAILED" && entry.Status(now) == "PENDING")
                {
                    entry.FailedAttempts++;
                }

                entry.Checks.Add(new Check(now, code, status, ip));
            }
        }

        if (status is null)
        {
            await Error(context, 400, "VERIFY ID ERROR").ConfigureAwait(false);
            return;
        }

        await Http.WriteJsonAsync(context, 200, new JsonObject { ["id_sms"] = smsId, ["verify_status"] = status }).ConfigureAwait(false);
    }

    private async Task CommandAsync(HttpContext context)
    {
        var form = await Http.ReadFormAsync(context).ConfigureAwait(false);
        var id = form?["verify_id"].ToString();
        var command = form?["command"].ToString();
        string? errorMsg;
        lock (gate)
        {
            errorMsg = string.IsNullOrEmpty(id) || !entries.TryGetValue(id, out var entry) ? "VERIFY ID ERROR"
                : command != "DELETE" ? "BAD_COMMAND"
                : entry.Status(state.Now) != "PENDING" ? "BAD STATUS"
                : null;
            if (errorMsg is null)
            {
                entries[id!].Cancelled = true;
            }
        }

        if (errorMsg is not null)
        {
            await Error(context, 400, errorMsg).ConfigureAwait(false);
            return;
        }

        await Http.WriteJsonAsync(context, 200, new JsonObject { ["command"] = "DELETE" }).ConfigureAwait(false);
    }

    private async Task SearchAsync(HttpContext context)
    {
        var id = context.Request.Query["verify_id"].ToString();
        if (string.IsNullOrEmpty(id))
        {
            await Error(context, 400, "NO_PARAMS").ConfigureAwait(false);
            return;
        }

        JsonObject? body = null;
        lock (gate)
        {
            if (entries.TryGetValue(id, out var entry))
            {
                var checks = new JsonArray();
                foreach (var check in entry.Checks)
                {
                    checks.Add((JsonNode)new JsonObject
                    {
                        ["date"] = check.Date.ToUnixTimeMilliseconds(),
                        ["verify_code"] = check.Code,
                        ["verify_status"] = check.Status,
                        ["ip_address"] = check.IpAddress,
                    });
                }

                body = new JsonObject
                {
                    ["verify_id"] = entry.Id,
                    ["verify_status"] = entry.Status(state.Now),
                    ["to"] = entry.To,
                    ["from"] = entry.From,
                    ["id_sms"] = entry.SmsId,
                    ["date_submit"] = entry.Created.ToUnixTimeMilliseconds(),
                    ["valid_until"] = entry.ValidUntil.ToUnixTimeMilliseconds(),
                    ["checks"] = checks,
                };
                if (entry.Sandbox)
                {
                    body["codice"] = entry.Code;
                }
            }
        }

        if (body is null)
        {
            await Error(context, 400, "VERIFY ID ERROR").ConfigureAwait(false);
            return;
        }

        await Http.WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    private static Task Error(HttpContext context, int status, string errorMsg) =>
        Http.WriteJsonAsync(context, status, new JsonObject { ["errorMsg"] = errorMsg, ["errorCode"] = status });

    private static bool IsSender(string from) =>
        Http.IsDigits(from, 3, 16) || from.Length is > 0 and <= 11 && from.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ');

    private static string? Optional(IFormCollection form, string name) =>
        form.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value.ToString()) ? value.ToString() : null;

    private static bool TryInt(IFormCollection form, string name, int fallback, int min, int max, out int value)
    {
        if (Optional(form, name) is not { } raw)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private sealed record Check(DateTimeOffset Date, string Code, string Status, string? IpAddress);

    private sealed class Entry(string id, string to, string? from, string code, DateTimeOffset created, DateTimeOffset validUntil, int maxRetry, bool sandbox, string? appId, string smsId)
    {
        public string Id { get; } = id;

        public string To { get; } = to;

        public string? From { get; } = from;

        public string Code { get; } = code;

        public DateTimeOffset Created { get; } = created;

        public DateTimeOffset ValidUntil { get; } = validUntil;

        public bool Sandbox { get; } = sandbox;

        public string? AppId { get; } = appId;

        public string SmsId { get; } = smsId;

        public int MaxRetry { get; } = maxRetry;

        public int FailedAttempts { get; set; }

        public bool Verified { get; set; }

        public bool Cancelled { get; set; }

        public List<Check> Checks { get; } = [];

        public string Status(DateTimeOffset now) =>
            Verified ? "VERIFIED"
            : Cancelled ? "CANCELLED"
            : FailedAttempts >= MaxRetry ? "FAILED"
            : now >= ValidUntil ? "EXPIRED"
            : "PENDING";
    }
}
