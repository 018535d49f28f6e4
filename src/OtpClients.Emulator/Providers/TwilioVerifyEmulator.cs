using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpClients.Emulator.Providers;

/// <summary>
/// Twilio Verify v2 as documented (<c>provider-docs</c>, "Twilio Verify v2"): <c>POST /v2/Services/{sid}/Verifications</c>
/// starts a verification (or, while one is pending for the number, sends its code again: at most 5 sends, then 60203),
/// <c>POST …/VerificationCheck</c> checks a code by <c>VerificationSid</c> or <c>To</c> (at most 5 checks, then 60202;
/// a verification that is approved, canceled or expired is 20404), <c>GET …/Verifications/{sid}</c> reads it and
/// <c>POST …/Verifications/{sid}</c> with <c>Status=canceled</c> cancels it. HTTP Basic with the Account SID and Auth
/// Token (else 20003, 401); errors in Twilio's shape <c>{"code", "message", "more_info", "status"}</c>. Verifications
/// live 10 minutes; codes have 6 digits. Where Twilio documents nothing the emulator chooses, and says so: a wrong
/// service SID is 20404 (404), and a malformed <c>To</c> or <c>Channel</c> is 60200 (400).
/// </summary>
internal sealed class TwilioVerifyEmulator(EmulatorState state)
{
    public const string Name = "Twilio";

    private const int MaxSends = 5;
    private const int MaxChecks = 5;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Lock gate = new();
    private readonly List<Verification> verifications = [];

    public async Task HandleAsync(HttpContext context, string path)
    {
        var credentials = state.Credentials;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.TwilioAccountSid + ":" + credentials.TwilioAuthToken));
        if (!string.Equals(context.Request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal))
        {
            await Error(context, 401, 20003, "Authenticate").ConfigureAwait(false);
            return;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries); // v2, Services, {sid}, Verifications[, {sid}] | VerificationCheck
        if (parts.Length < 4 || parts[2] != credentials.TwilioServiceSid)
        {
            await Error(context, 404, 20404, "The requested resource was not found").ConfigureAwait(false);
            return;
        }

        var get = HttpMethods.IsGet(context.Request.Method);
        var post = HttpMethods.IsPost(context.Request.Method);
        var form = post ? await Http.ReadFormAsync(context).ConfigureAwait(false) : null;
        if (post && form is null)
        {
            await Error(context, 400, 60200, "Invalid parameter").ConfigureAwait(false);
            return;
        }

        switch (parts)
        {
            case [_, _, _, "Verifications"] when post:
                await StartAsync(context, form!).ConfigureAwait(false);
                break;
            case [_, _, _, "VerificationCheck"] when post:
                await CheckAsync(context, form!).ConfigureAwait(false);
                break;
            case [_, _, _, "Verifications", var sid] when get:
                await ReadAsync(context, sid).ConfigureAwait(false);
                break;
            case [_, _, _, "Verifications", var sid] when post:
                await UpdateAsync(context, sid, form!).ConfigureAwait(false);
                break;
            default:
                await Error(context, 404, 20404, "The requested resource was not found").ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The state of the code of one verification, or <see langword="null"/> when the SID is unknown.</summary>
    public OtpEmulatorCodeStatus? StatusOf(string sid)
    {
        lock (gate)
        {
            var v = verifications.Find(x => x.Sid == sid);
            if (v is null)
            {
                return null;
            }

            var codeState = v.Status switch
            {
                "approved" => OtpEmulatorCodeState.Verified,
                "canceled" => OtpEmulatorCodeState.Cancelled,
                _ when state.Now >= v.Created + Lifetime => OtpEmulatorCodeState.Expired,
                _ => OtpEmulatorCodeState.Pending,
            };
            return new OtpEmulatorCodeStatus(codeState, v.Checks, MaxChecks, v.Created + Lifetime);
        }
    }

    private async Task StartAsync(HttpContext context, IFormCollection form)
    {
        var to = form["To"].ToString();
        var channel = form["Channel"].ToString();
        if (!PhoneNumber.TryParse(to, out var phone) || phone.E164 != to || channel is not ("sms" or "call" or "whatsapp"))
        {
            await Error(context, 400, 60200, "Invalid parameter").ConfigureAwait(false);
            return;
        }

        var now = state.Now;
        Verification? v;
        lock (gate)
        {
            var pending = verifications.LastOrDefault(x => x.To == to && x.Status == "pending" && now < x.Created + Lifetime);
            if (pending is not null && pending.Sends >= MaxSends)
            {
                v = null; // the sixth send of one verification
            }
            else if (pending is not null)
            {
                pending.Sends++;
                v = pending;
            }
            else
            {
                v = new Verification("VE" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)), to, channel, state.NewCode(Name, 6, numericOnly: true), now);
                verifications.Add(v);
            }
        }

        if (v is null)
        {
            await Error(context, 429, 60203, "Max send attempts reached").ConfigureAwait(false);
            return;
        }

        // Each send goes through the channel it asks for (Twilio resends a pending verification, same code, through any
        // channel): a call speaks the code digit by digit.
        var message = channel switch
        {
            "call" => new OtpEmulatorMessage(Name, v.Sid, to, null, $"Your verification code is: {string.Join(", ", v.Code.ToCharArray())}.", v.Code, now) { Channel = OtpChannel.Voice },
            "whatsapp" => new OtpEmulatorMessage(Name, v.Sid, to, null, $"Your verification code is: {v.Code}", v.Code, now) { Channel = OtpChannel.WhatsApp },
            _ => new OtpEmulatorMessage(Name, v.Sid, to, null, $"Your verification code is: {v.Code}", v.Code, now),
        };
        state.Send(message);
        await Http.WriteJsonAsync(context, 201, Json(v)).ConfigureAwait(false);
    }

    private async Task CheckAsync(HttpContext context, IFormCollection form)
    {
        var code = form["Code"].ToString();
        var sid = form["VerificationSid"].ToString();
        var to = form["To"].ToString();
        if (code.Length == 0 || (sid.Length == 0) == (to.Length == 0))
        {
            await Error(context, 400, 60200, "Invalid parameter").ConfigureAwait(false);
            return;
        }

        var now = state.Now;
        JsonObject? answer = null;
        int? error = null;
        lock (gate)
        {
            var v = sid.Length > 0 ? verifications.Find(x => x.Sid == sid) : verifications.LastOrDefault(x => x.To == to);
            if (v is null || v.Status != "pending" || now >= v.Created + Lifetime)
            {
                error = 20404;
            }
            else if (v.Checks >= MaxChecks)
            {
                error = 60202;
            }
            else
            {
                v.Checks++;
                if (string.Equals(v.Code, code, StringComparison.Ordinal))
                {
                    v.Status = "approved";
                }

                answer = Json(v);
            }
        }

        await (error switch
        {
            20404 => Error(context, 404, 20404, "The requested resource was not found"),
            60202 => Error(context, 429, 60202, "Max check attempts reached"),
            _ => Http.WriteJsonAsync(context, 200, answer),
        }).ConfigureAwait(false);
    }

    private async Task ReadAsync(HttpContext context, string sid)
    {
        JsonObject? answer;
        lock (gate)
        {
            answer = verifications.Find(x => x.Sid == sid) is { } v ? Json(v) : null;
        }

        await (answer is null ? Error(context, 404, 20404, "The requested resource was not found") : Http.WriteJsonAsync(context, 200, answer)).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context, string sid, IFormCollection form)
    {
        var status = form["Status"].ToString();
        if (status is not ("canceled" or "approved"))
        {
            await Error(context, 400, 60200, "Invalid parameter").ConfigureAwait(false);
            return;
        }

        JsonObject? answer = null;
        lock (gate)
        {
            if (verifications.Find(x => x.Sid == sid) is { Status: "pending" } v && state.Now < v.Created + Lifetime)
            {
                v.Status = status;
                answer = Json(v);
            }
        }

        await (answer is null ? Error(context, 404, 20404, "The requested resource was not found") : Http.WriteJsonAsync(context, 200, answer)).ConfigureAwait(false);
    }

    private JsonObject Json(Verification v) => new()
    {
        ["sid"] = v.Sid,
        ["service_sid"] = state.Credentials.TwilioServiceSid,
        ["account_sid"] = state.Credentials.TwilioAccountSid,
        ["to"] = v.To,
        ["channel"] = v.Channel,
        ["status"] = v.Status,
        ["valid"] = v.Status == "approved",
        ["send_code_attempts"] = new JsonArray([.. Enumerable.Range(0, v.Sends).Select(_ => (JsonNode)new JsonObject { ["channel"] = v.Channel })]),
        ["date_created"] = v.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["date_updated"] = state.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["url"] = $"{state.BaseAddress}v2/Services/{state.Credentials.TwilioServiceSid}/Verifications/{v.Sid}",
    };

    private static Task Error(HttpContext context, int status, int code, string message) =>
        Http.WriteJsonAsync(context, status, new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        });

    private sealed class Verification(string sid, string to, string channel, string code, DateTimeOffset created)
    {
        public string Sid { get; } = sid;

        public string To { get; } = to;

        public string Channel { get; } = channel;

        public string Code { get; } = code;

        public DateTimeOffset Created { get; } = created;

        public string Status { get; set; } = "pending";

        public int Sends { get; set; } = 1;

        public int Checks { get; set; }
    }
}
