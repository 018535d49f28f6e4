using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpClients.Emulator.Providers;

/// <summary>
/// 99digital's Verify SMS as documented: send and check on <c>/sms/verifySMS</c> (a body with <c>code</c> is a check),
/// form-data with <c>apiKey</c>, the send <c>reason</c> codes, check status 1 on success. Where 99digital documents
/// nothing the emulator chooses, and says so: check answers 0 for a wrong code, 2 for an expired one and 3 for a used one,
/// and a wrong apiKey on check is <c>{"status": "FAIL", "reason": 6}</c>; codes have 6 digits.
/// </summary>
internal sealed class NinetyNineDigitalEmulator(EmulatorState state)
{
    private const string Placeholder = "##code##";
    private const string DefaultMessage = " Your verification code is: ##code## ";
    private const int CodeLength = 6;

    private readonly Lock gate = new();
    private readonly List<Entry> entries = [];
    private long nextUnique = 63433453;

    public async Task HandleAsync(HttpContext context, string path)
    {
        if (!path.StartsWith("/sms/verifySMS", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = 405;
            return;
        }

        var form = await Http.ReadFormAsync(context).ConfigureAwait(false);
        if (form is null)
        {
            await Fail(context, 5, null).ConfigureAwait(false);
            return;
        }

        var isCheck = form.ContainsKey("code");
        if (!string.Equals(form["apiKey"].ToString(), state.Credentials.NinetyNineDigitalApiKey, StringComparison.Ordinal))
        {
            await Fail(context, 6, isCheck ? null : form["from"].ToString()).ConfigureAwait(false);
            return;
        }

        await (isCheck ? CheckAsync(context, form) : SendAsync(context, form)).ConfigureAwait(false);
    }

    private async Task SendAsync(HttpContext context, IFormCollection form)
    {
        var from = form["from"].ToString();
        var to = form["to"].ToString();
        var message = form.TryGetValue("message", out var m) ? m.ToString() : null;
        var numericSender = from.Length > 0 && from.All(char.IsAsciiDigit);
        int? reason =
            string.IsNullOrEmpty(from) ? 9
            : from.Length > 11 ? 2
            : numericSender && !state.Options.NinetyNineDigitalApprovedSenders.Contains(from) ? 3
            : string.IsNullOrEmpty(to) || !IsLocalIsraeli(to) ? 7
            : message is not null && message.Length == 0 ? 8
            : message is not null && !message.Contains(Placeholder, StringComparison.Ordinal) ? 10
            : message is not null && message.Length > 5 * 67 ? 4
            : null;
        if (reason is { } r)
        {
            await Fail(context, r, from).ConfigureAwait(false);
            return;
        }

        var now = state.Now;
        Entry entry;
        lock (gate)
        {
            entry = new Entry((++nextUnique).ToString(CultureInfo.InvariantCulture), to, state.NewCode(OtpProviderNames.NinetyNineDigital, CodeLength, numericOnly: true), now);
            entries.Add(entry);
        }

        var text = (message ?? DefaultMessage).Replace(Placeholder, entry.Code, StringComparison.Ordinal);
        state.Send(new OtpEmulatorMessage(OtpProviderNames.NinetyNineDigital, entry.Unique, "+972" + to[1..], from, text, entry.Code, now));
        await Http.WriteJsonAsync(context, 200, new JsonObject
        {
            ["status"] = "OK",
            ["unique"] = entry.Unique,
            ["timestamp"] = now.ToUnixTimeSeconds(),
            ["from"] = from,
            ["reason"] = 1,
        }).ConfigureAwait(false);
    }

    /// <summary>The state of the code of one send, or <see langword="null"/> when the id is unknown.</summary>
    public OtpEmulatorCodeStatus? StatusOf(string id)
    {
        lock (gate)
        {
            var entry = entries.Find(e => e.Unique == id);
            if (entry is null)
            {
                return null;
            }

            var expires = entry.Created + NinetyNineDigital.NinetyNineDigitalOtpClient.CodeLifetime;
            var codeState = entry.Used ? OtpEmulatorCodeState.Verified
                : state.Now >= expires ? OtpEmulatorCodeState.Expired
                : OtpEmulatorCodeState.Pending;
            return new OtpEmulatorCodeStatus(codeState, entry.WrongAttempts, null, expires);
        }
    }

    private async Task CheckAsync(HttpContext context, IFormCollection form)
    {
        var to = form["to"].ToString();
        var code = form["code"].ToString();
        var now = state.Now;
        int status;
        lock (gate)
        {
            var match = entries.LastOrDefault(e => e.To == to && string.Equals(e.Code, code, StringComparison.Ordinal));
            status = match is null ? 0
                : match.Used ? 3
                : now >= match.Created + NinetyNineDigital.NinetyNineDigitalOtpClient.CodeLifetime ? 2
                : 1;
            if (status == 1)
            {
                match!.Used = true;
            }
            else if (match is null && entries.LastOrDefault(e => e.To == to && !e.Used && now < e.Created + NinetyNineDigital.NinetyNineDigitalOtpClient.CodeLifetime) is { } pending)
            {
                pending.WrongAttempts++; // for the inbox page only: 99digital documents no attempt limit
            }
        }

        await Http.WriteJsonAsync(context, 200, new JsonObject { ["status"] = status, ["phone"] = to }).ConfigureAwait(false);
    }

    private Task Fail(HttpContext context, int reason, string? from) =>
        Http.WriteJsonAsync(context, 200, new JsonObject
        {
            ["status"] = "FAIL",
            ["unique"] = string.Empty,
            ["timestamp"] = state.Now.ToUnixTimeSeconds(),
            ["from"] = from,
            ["reason"] = reason,
        });

    private static bool IsLocalIsraeli(string to) => to.Length is 9 or 10 && to[0] == '0' && to.All(char.IsAsciiDigit);

    private sealed class Entry(string unique, string to, string code, DateTimeOffset created)
    {
        public string Unique { get; } = unique;

        public string To { get; } = to;

        public string Code { get; } = code;

        public DateTimeOffset Created { get; } = created;

        public bool Used { get; set; }

        public int WrongAttempts { get; set; }
    }
}
