using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpClients.Amm;
using OtpClients.Emulator.Providers;
using OtpClients.Ip1;
using OtpClients.NinetyNineDigital;

namespace OtpClients.Emulator;

/// <summary>
/// A local, stateful stand-in for iP1, AMM and 99digital on one loopback origin, at their documented paths: it issues
/// codes, expires them by its clock, enforces one-time use, attempt limits, AMM's ANTISPAM and iP1's ConcurrentLimit,
/// checks credentials, answers the documented error codes, keeps an <see cref="Outbox"/> of sent messages, and injects
/// <see cref="Faults"/>.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await OtpEmulator.StartAsync();
/// services.AddOtpClient(otp =&gt; otp.UseAmm(emulator.ConfigureAmm));
/// // … send, then: var code = emulator.Outbox.LastCodeFor("+393481234567");
/// </code>
/// </example>
/// <remarks>
/// Control endpoints: <c>GET /_emulator</c> (address and credentials), <c>GET</c>/<c>DELETE /_emulator/messages</c>
/// (the outbox; <c>?phone=</c> filters), <c>POST</c>/<c>DELETE /_emulator/faults</c> (a fault as JSON: <c>provider</c>,
/// <c>path</c>, <c>status</c>, <c>body</c>, <c>delayMs</c>, <c>abort</c>, <c>count</c>, <c>probability</c>, <c>afterProcessing</c>).
/// </remarks>
public sealed class OtpEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly EmulatorState state;
    private int disposed;

    private OtpEmulator(WebApplication app, EmulatorState state, Uri baseAddress)
    {
        this.app = app;
        this.state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>Gets the origin to point the SDK at (<c>http://127.0.0.1:port/</c>); every provider's documented paths live under it.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the messages sent so far.</summary>
    public OtpEmulatorOutbox Outbox => state.Outbox;

    /// <summary>Gets the faults waiting to hit requests.</summary>
    public OtpEmulatorFaults Faults => state.Faults;

    /// <summary>Gets the credentials the emulator accepts.</summary>
    public OtpEmulatorCredentials Credentials => state.Credentials;

    /// <summary>Gets the clock that issues and expires codes.</summary>
    public TimeProvider TimeProvider => state.TimeProvider;

    /// <summary>Starts an emulator on loopback.</summary>
    /// <param name="options">The settings; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">A token that cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<OtpEmulator> StartAsync(OtpEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OtpEmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.AddServerHeader = false);
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        var app = builder.Build();
        var state = new EmulatorState(options);
        var router = new EmulatorRouter(state);
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var emulator = new OtpEmulator(app, state, new Uri(address.TrimEnd('/') + "/"));
        state.BaseAddress = emulator.BaseAddress;
        return emulator;
    }

    /// <summary>Points AMM options at the emulator with its credentials: <c>otp.UseAmm(emulator.ConfigureAmm)</c>.</summary>
    /// <param name="options">The options to set.</param>
    public void ConfigureAmm(AmmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BaseAddress = BaseAddress;
        options.AuthKey = Credentials.AmmAuthKey;
        options.AuthSecret = Credentials.AmmAuthSecret;
    }

    /// <summary>Points iP1 options at the emulator with its credentials: <c>otp.UseIp1(emulator.ConfigureIp1)</c>.</summary>
    /// <param name="options">The options to set.</param>
    public void ConfigureIp1(Ip1Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BaseAddress = BaseAddress;
        options.AccountId = Credentials.Ip1AccountId;
        options.ApiKey = Credentials.Ip1ApiKey;
    }

    /// <summary>
    /// Points 99digital options at the emulator with its API key, and sets a sender when none is set:
    /// <c>otp.UseNinetyNineDigital(emulator.ConfigureNinetyNineDigital)</c>.
    /// </summary>
    /// <param name="options">The options to set.</param>
    public void ConfigureNinetyNineDigital(NinetyNineDigitalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BaseAddress = BaseAddress;
        options.ApiKey = Credentials.NinetyNineDigitalApiKey;
        options.Sender ??= "Emulator";
    }

    /// <summary>Forgets every code, message, setting and fault, as if just started.</summary>
    public void Reset() => state.Reset();

    /// <summary>Stops the emulator. Calling it again does nothing.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>What the emulated providers share: clock, outbox, faults, credentials, code generation.</summary>
internal sealed class EmulatorState
{
    public EmulatorState(OtpEmulatorOptions options)
    {
        Options = options;
        TimeProvider = options.TimeProvider;
        Credentials = new OtpEmulatorCredentials(options.AmmAuthKey, options.AmmAuthSecret, options.Ip1AccountId, options.Ip1ApiKey, options.NinetyNineDigitalApiKey);
        Outbox = new OtpEmulatorOutbox();
        Faults = new OtpEmulatorFaults(options.FaultSeed);
        Amm = new AmmEmulator(this);
        Ip1 = new Ip1Emulator(this);
        NinetyNineDigital = new NinetyNineDigitalEmulator(this);
    }

    public OtpEmulatorOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public OtpEmulatorCredentials Credentials { get; }

    public OtpEmulatorOutbox Outbox { get; }

    public OtpEmulatorFaults Faults { get; }

    public AmmEmulator Amm { get; private set; }

    public Ip1Emulator Ip1 { get; private set; }

    public NinetyNineDigitalEmulator NinetyNineDigital { get; private set; }

    public Uri? BaseAddress { get; set; }

    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    public string NewCode(string provider, int length, bool numericOnly)
    {
        if (Options.CodeGenerator is { } generator)
        {
            return generator(provider, length, numericOnly);
        }

        const string Digits = "0123456789";
        const string Alphanumeric = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return System.Security.Cryptography.RandomNumberGenerator.GetString(numericOnly ? Digits : Alphanumeric, length);
    }

    public void Reset()
    {
        Outbox.Clear();
        Faults.Clear();
        Amm = new AmmEmulator(this);
        Ip1 = new Ip1Emulator(this);
        NinetyNineDigital = new NinetyNineDigitalEmulator(this);
    }
}

/// <summary>Sends each request to its provider, applies faults, and serves the control endpoints.</summary>
internal sealed class EmulatorRouter(EmulatorState state)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_emulator", StringComparison.OrdinalIgnoreCase))
        {
            await ControlAsync(context, path).ConfigureAwait(false);
            return;
        }

        var provider = path.StartsWith("/sms/v2/verify/", StringComparison.OrdinalIgnoreCase) ? OtpProviderNames.Amm
            : path.StartsWith("/api/authentications", StringComparison.OrdinalIgnoreCase) ? OtpProviderNames.Ip1
            : path.StartsWith("/sms/", StringComparison.OrdinalIgnoreCase) ? OtpProviderNames.NinetyNineDigital
            : null;
        if (provider is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var fault = state.Faults.Take(provider, path);
        if (fault is { AfterProcessing: false } && await ApplyAsync(context, fault).ConfigureAwait(false))
        {
            return;
        }

        if (fault is { AfterProcessing: true })
        {
            // Process for real, into a buffer, then let the fault decide what the client sees.
            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            await DispatchAsync(context, provider, path).ConfigureAwait(false);
            context.Response.Body = original;
            if (await ApplyAsync(context, fault).ConfigureAwait(false))
            {
                return;
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await DispatchAsync(context, provider, path).ConfigureAwait(false);
    }

    private Task DispatchAsync(HttpContext context, string provider, string path) => provider switch
    {
        OtpProviderNames.Amm => state.Amm.HandleAsync(context, path),
        OtpProviderNames.Ip1 => state.Ip1.HandleAsync(context, path),
        _ => state.NinetyNineDigital.HandleAsync(context, path),
    };

    /// <summary>Applies a fault; returns <see langword="true"/> when the answer is settled (replaced or dropped).</summary>
    private static async Task<bool> ApplyAsync(HttpContext context, OtpEmulatorFault fault)
    {
        if (fault.Delay is { } delay && delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }

        if (fault.Abort)
        {
            context.Abort();
            return true;
        }

        if (fault.StatusCode is { } status)
        {
            context.Response.Clear();
            context.Response.StatusCode = status;
            if (fault.Body is { } body)
            {
                context.Response.ContentType = fault.ContentType;
                await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            }

            return true;
        }

        return false;
    }

    private async Task ControlAsync(HttpContext context, string path)
    {
        var method = context.Request.Method;
        switch (path.TrimEnd('/').ToLowerInvariant())
        {
            case "/_emulator" when HttpMethods.IsGet(method):
                await Http.WriteJsonAsync(context, 200, new JsonObject
                {
                    ["baseAddress"] = state.BaseAddress?.ToString(),
                    ["amm"] = new JsonObject { ["authKey"] = state.Credentials.AmmAuthKey, ["authSecret"] = state.Credentials.AmmAuthSecret },
                    ["ip1"] = new JsonObject { ["accountId"] = state.Credentials.Ip1AccountId, ["apiKey"] = state.Credentials.Ip1ApiKey },
                    ["ninetyNineDigital"] = new JsonObject { ["apiKey"] = state.Credentials.NinetyNineDigitalApiKey },
                }).ConfigureAwait(false);
                return;
            case "/_emulator/messages" when HttpMethods.IsGet(method):
                var phone = context.Request.Query["phone"].ToString();
                var e164 = PhoneNumber.TryParse(phone, out var parsed) ? parsed.E164 : null;
                var list = new JsonArray();
                foreach (var m in state.Outbox.Messages.Where(m => e164 is null || m.PhoneNumber == e164))
                {
                    list.Add((JsonNode)new JsonObject
                    {
                        ["provider"] = m.Provider,
                        ["id"] = m.Id,
                        ["phoneNumber"] = m.PhoneNumber,
                        ["sender"] = m.Sender,
                        ["text"] = m.Text,
                        ["code"] = m.Code,
                        ["sentAt"] = m.SentAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        ["sandbox"] = m.Sandbox,
                    });
                }

                await Http.WriteJsonAsync(context, 200, list).ConfigureAwait(false);
                return;
            case "/_emulator/messages" when HttpMethods.IsDelete(method):
                state.Outbox.Clear();
                context.Response.StatusCode = 204;
                return;
            case "/_emulator/faults" when HttpMethods.IsPost(method):
                var node = await Http.ReadJsonAsync(context).ConfigureAwait(false) as JsonObject;
                if (node is null || !TryReadFault(node, out var fault))
                {
                    await Http.WriteJsonAsync(context, 400, new JsonObject { ["error"] = "Expected a JSON fault: provider, path, status, body, delayMs, abort, count, probability, afterProcessing." }).ConfigureAwait(false);
                    return;
                }

                state.Faults.Add(fault);
                context.Response.StatusCode = 204;
                return;
            case "/_emulator/faults" when HttpMethods.IsDelete(method):
                state.Faults.Clear();
                context.Response.StatusCode = 204;
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private static bool TryReadFault(JsonObject node, out OtpEmulatorFault fault)
    {
        fault = null!;
        try
        {
            var count = Http.Int(node, "count");
            var probability = Http.Double(node, "probability") ?? 1;
            if (count is < 1 || probability is < 0 or > 1)
            {
                return false;
            }

            fault = new OtpEmulatorFault
            {
                Provider = Http.String(node, "provider"),
                Path = Http.String(node, "path"),
                StatusCode = Http.Int(node, "status"),
                Body = Http.String(node, "body"),
                ContentType = Http.String(node, "contentType") ?? "application/json",
                Delay = Http.Int(node, "delayMs") is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                Abort = Http.Bool(node, "abort") ?? false,
                Count = node.ContainsKey("count") ? count : 1,
                Probability = probability,
                AfterProcessing = Http.Bool(node, "afterProcessing") ?? false,
            };
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
