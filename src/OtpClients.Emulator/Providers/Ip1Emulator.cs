using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpClients.Emulator.Providers;

/// <summary>
/// iP1's authentications API as documented: create (and send), validate (consuming a valid code), get, list, settings;
/// HTTP Basic; ASP.NET Web API error bodies. Where iP1 documents nothing the emulator chooses, and says so: a send over
/// <c>ConcurrentLimit</c> is a 400 whose Message names the limit; a wrong code is 200 with <c>Valid: false</c>.
/// </summary>
internal sealed class Ip1Emulator(EmulatorState state)
{
    private const int DefaultConcurrentLimit = 5;
    private const int DefaultLength = 5;
    private const int DefaultExpiration = 1200;
    private const string DefaultFrom = "iP1";
    private const string DefaultFormat = "Your verification code is {0}";

    private readonly Lock gate = new();
    private readonly SortedDictionary<long, Authentication> authentications = [];
    private Settings settings = new(null, null, null, null, null, null);
    private long nextId = 1000;

    public async Task HandleAsync(HttpContext context, string path)
    {
        if (!Http.IsBasic(context, state.Credentials.Ip1AccountId, state.Credentials.Ip1ApiKey))
        {
            await Http.WriteJsonAsync(context, 401, new JsonObject { ["Message"] = "Authorization has been denied for this request." }).ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        var segments = path.Trim('/').Split('/');
        switch (segments)
        {
            case ["api", "authentications"] when HttpMethods.IsPost(method):
                await CreateAsync(context).ConfigureAwait(false);
                return;
            case ["api", "authentications"] when HttpMethods.IsGet(method):
                await ListAsync(context).ConfigureAwait(false);
                return;
            case ["api", "authentications", var action] when action.Equals("validate", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(method):
                await ValidateAsync(context).ConfigureAwait(false);
                return;
            case ["api", "authentications", var action] when action.Equals("settings", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(method):
                await Http.WriteJsonAsync(context, 200, ToJson(settings)).ConfigureAwait(false);
                return;
            case ["api", "authentications", var action] when action.Equals("settings", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPut(method):
                await UpdateSettingsAsync(context).ConfigureAwait(false);
                return;
            case ["api", "authentications", var id] when HttpMethods.IsGet(method) && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number):
                await GetAsync(context, number).ConfigureAwait(false);
                return;
            case ["api", "authentications", ..]:
                await Http.WriteJsonAsync(context, 405, new JsonObject { ["Message"] = "The requested resource does not support this http method." }).ConfigureAwait(false);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private async Task CreateAsync(HttpContext context)
    {
        if (await Http.ReadJsonAsync(context).ConfigureAwait(false) is not JsonObject body)
        {
            await Invalid(context, "authentication", "The request body is not valid JSON.").ConfigureAwait(false);
            return;
        }

        string? phone, from, format;
        int? length, expiration;
        bool? numericOnly;
        try
        {
            phone = Http.String(body, "Phone");
            from = Http.String(body, "From");
            format = Http.String(body, "MessageFormat");
            length = Http.Int(body, "Length");
            expiration = Http.Int(body, "ExpirationTime");
            numericOnly = Http.Bool(body, "NumericOnly");
        }
        catch (FormatException ex)
        {
            await Invalid(context, "authentication." + ex.Message, $"The value of {ex.Message} is not valid.").ConfigureAwait(false);
            return;
        }

        var invalid =
            !Http.IsDigits(phone, 8, 15) ? ("Phone", "The Phone field is required and must be an MSISDN (digits with country code).")
            : format is not null && !IsFormat(format) ? ("MessageFormat", "The field MessageFormat must match the regular expression '^(?=.*\\{0\\}).*$'.")
            : length is < 3 or > 25 ? ("Length", "The field Length must be between 3 and 25.")
            : expiration is < 1 or > 86400 ? ("ExpirationTime", "The field ExpirationTime must be between 1 and 86400.")
            : ((string, string)?)null;
        if (invalid is { } field)
        {
            await Invalid(context, "authentication." + field.Item1, field.Item2).ConfigureAwait(false);
            return;
        }

        var now = state.Now;
        Authentication? created = null;
        lock (gate)
        {
            var active = authentications.Values.Count(a => a.Phone == phone && a.Used is null && now < a.Expires);
            if (active < (settings.ConcurrentLimit ?? DefaultConcurrentLimit))
            {
                var numeric = numericOnly ?? settings.NumericOnly ?? false;
                var code = state.NewCode(OtpProviderNames.Ip1, length ?? settings.Length ?? DefaultLength, numeric);
                created = new Authentication(
                    ++nextId,
                    phone!,
                    code,
                    now,
                    now.AddSeconds(expiration ?? settings.ExpirationTime ?? DefaultExpiration),
                    from ?? settings.From ?? DefaultFrom,
                    format ?? settings.MessageFormat ?? DefaultFormat);
                authentications[created.Id] = created;
            }
        }

        if (created is null)
        {
            await Http.WriteJsonAsync(context, 400, new JsonObject { ["Message"] = "ConcurrentLimit reached: too many active authentications for this phone number." }).ConfigureAwait(false);
            return;
        }

        state.Send(new OtpEmulatorMessage(
            OtpProviderNames.Ip1,
            created.Id.ToString(CultureInfo.InvariantCulture),
            Http.E164(created.Phone),
            created.From,
            string.Format(CultureInfo.InvariantCulture, created.Format, created.Code),
            created.Code,
            now));
        await Http.WriteJsonAsync(context, 200, ToJson(created, now)).ConfigureAwait(false);
    }

    /// <summary>The state of the code of one authentication, or <see langword="null"/> when the id is unknown.</summary>
    public OtpEmulatorCodeStatus? StatusOf(string id)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
        {
            return null;
        }

        lock (gate)
        {
            if (!authentications.TryGetValue(key, out var a))
            {
                return null;
            }

            var codeState = a.Used is not null ? OtpEmulatorCodeState.Verified
                : state.Now >= a.Expires ? OtpEmulatorCodeState.Expired
                : OtpEmulatorCodeState.Pending;
            return new OtpEmulatorCodeStatus(codeState, a.WrongAttempts, null, a.Expires);
        }
    }

    private async Task ValidateAsync(HttpContext context)
    {
        if (await Http.ReadJsonAsync(context).ConfigureAwait(false) is not JsonObject body)
        {
            await Invalid(context, "validation", "The request body is not valid JSON.").ConfigureAwait(false);
            return;
        }

        var phone = Http.String(body, "Phone");
        var code = Http.String(body, "Code");
        if (string.IsNullOrEmpty(phone) || string.IsNullOrEmpty(code))
        {
            await Invalid(context, string.IsNullOrEmpty(phone) ? "validation.Phone" : "validation.Code", "The field is required.").ConfigureAwait(false);
            return;
        }

        var now = state.Now;
        JsonNode? authentication = null;
        lock (gate)
        {
            var match = authentications.Values.LastOrDefault(a => a.Phone == phone && a.Used is null && now < a.Expires && string.Equals(a.Code, code, StringComparison.Ordinal));
            if (match is not null)
            {
                match.Used = now;
                authentication = ToJson(match, now);
            }
            else if (authentications.Values.LastOrDefault(a => a.Phone == phone && a.Used is null && now < a.Expires) is { } pending)
            {
                pending.WrongAttempts++; // for the inbox page only: iP1 documents no attempt limit
            }
        }

        await Http.WriteJsonAsync(context, 200, new JsonObject
        {
            ["Valid"] = authentication is not null,
            ["Authentication"] = authentication,
            ["Phone"] = phone,
            ["Code"] = code,
        }).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context, long id)
    {
        JsonNode? found;
        lock (gate)
        {
            found = authentications.TryGetValue(id, out var authentication) ? ToJson(authentication, state.Now) : null;
        }

        await (found is null
            ? Http.WriteJsonAsync(context, 404, new JsonObject { ["Message"] = $"No authentication with ID {id}." })
            : Http.WriteJsonAsync(context, 200, found)).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context)
    {
        var list = new JsonArray();
        lock (gate)
        {
            var now = state.Now;
            foreach (var authentication in authentications.Values)
            {
                list.Add((JsonNode)ToJson(authentication, now));
            }
        }

        await Http.WriteJsonAsync(context, 200, list).ConfigureAwait(false);
    }

    private async Task UpdateSettingsAsync(HttpContext context)
    {
        if (await Http.ReadJsonAsync(context).ConfigureAwait(false) is not JsonObject body)
        {
            await Invalid(context, "settings", "The request body is not valid JSON.").ConfigureAwait(false);
            return;
        }

        Settings updated;
        try
        {
            updated = new Settings(Http.Int(body, "ConcurrentLimit"), Http.String(body, "From"), Http.String(body, "MessageFormat"), Http.Int(body, "Length"), Http.Int(body, "ExpirationTime"), Http.Bool(body, "NumericOnly"));
        }
        catch (FormatException ex)
        {
            await Invalid(context, "settings." + ex.Message, $"The value of {ex.Message} is not valid.").ConfigureAwait(false);
            return;
        }

        var invalid =
            updated.ConcurrentLimit is < 1 ? ("ConcurrentLimit", "The field ConcurrentLimit must be at least 1.")
            : updated.MessageFormat is { } f && !IsFormat(f) ? ("MessageFormat", "The field MessageFormat must match the regular expression '^(?=.*\\{0\\}).*$'.")
            : updated.Length is < 3 or > 25 ? ("Length", "The field Length must be between 3 and 25.")
            : updated.ExpirationTime is < 1 or > 86400 ? ("ExpirationTime", "The field ExpirationTime must be between 1 and 86400.")
            : ((string, string)?)null;
        if (invalid is { } field)
        {
            await Invalid(context, "settings." + field.Item1, field.Item2).ConfigureAwait(false);
            return;
        }

        lock (gate)
        {
            settings = updated;
        }

        await Http.WriteJsonAsync(context, 200, ToJson(updated)).ConfigureAwait(false);
    }

    /// <summary>
    /// iP1's documented rule, <c>^(?=.*\{0\}).*$</c>: <c>{0}</c> on one line (the SDK's rule too: no line break at all),
    /// and a format that .NET composite formatting accepts.
    /// </summary>
    private static bool IsFormat(string format)
    {
        if (!format.Contains("{0}", StringComparison.Ordinal) || format.AsSpan().IndexOfAny("\r\n\u0085\u2028\u2029") >= 0)
        {
            return false;
        }

        try
        {
            _ = string.Format(CultureInfo.InvariantCulture, format, "0");
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static Task Invalid(HttpContext context, string key, string message) =>
        Http.WriteJsonAsync(context, 400, new JsonObject
        {
            ["Message"] = "The request is invalid.",
            ["ModelState"] = new JsonObject { [key] = new JsonArray(message) },
        });

    private static JsonObject ToJson(Authentication a, DateTimeOffset now) => new()
    {
        ["ID"] = a.Id,
        ["Phone"] = a.Phone,
        ["Created"] = Http.Iso(a.Created),
        ["HasExpired"] = now >= a.Expires,
        ["Expires"] = Http.Iso(a.Expires),
        ["IsUsed"] = a.Used is not null,
        ["Used"] = a.Used is { } used ? Http.Iso(used) : null,
    };

    private static JsonObject ToJson(Settings s) => new()
    {
        ["ConcurrentLimit"] = s.ConcurrentLimit,
        ["From"] = s.From,
        ["MessageFormat"] = s.MessageFormat,
        ["Length"] = s.Length,
        ["ExpirationTime"] = s.ExpirationTime,
        ["NumericOnly"] = s.NumericOnly,
    };

    private sealed record Settings(int? ConcurrentLimit, string? From, string? MessageFormat, int? Length, int? ExpirationTime, bool? NumericOnly);

    private sealed class Authentication(long id, string phone, string code, DateTimeOffset created, DateTimeOffset expires, string from, string format)
    {
        public long Id { get; } = id;

        public string Phone { get; } = phone;

        public string Code { get; } = code;

        public DateTimeOffset Created { get; } = created;

        public DateTimeOffset Expires { get; } = expires;

        public string From { get; } = from;

        public string Format { get; } = format;

        public DateTimeOffset? Used { get; set; }

        public int WrongAttempts { get; set; }
    }
}
