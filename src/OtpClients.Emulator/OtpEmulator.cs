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
/// The inbox page is at <c>/</c>. Control endpoints (documented in <c>docs/emulator.md</c>): <c>GET /_emulator</c>
/// (address and credentials), <c>GET</c>/<c>DELETE /_emulator/messages</c> (the outbox with each code's state;
/// <c>?phone=</c> and <c>?provider=</c> filter), <c>GET</c>/<c>POST</c>/<c>DELETE /_emulator/faults</c> (a fault as JSON:
/// <c>provider</c>, <c>path</c>, <c>status</c>, <c>body</c>, <c>delayMs</c>, <c>abort</c>, <c>count</c>, <c>probability</c>,
/// <c>afterProcessing</c>; <c>DELETE ?provider=</c> clears one provider's), and <c>GET /_emulator/events</c>
/// (server-sent events: a <c>change</c> event after every send, check, clear or fault change).
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

    /// <summary>Gets every address the emulator listens on (one, unless <see cref="OtpEmulatorOptions.Urls"/> names several).</summary>
    public IReadOnlyList<Uri> Addresses { get; private init; } = [];

    /// <summary>
    /// Gets a value indicating whether the emulator listens on loopback only. It shows every code it sends (its inbox
    /// page and <c>/_emulator/messages</c>), so anything else is a choice to make knowingly.
    /// </summary>
    public bool IsLoopbackOnly => Addresses.All(a => a.IsLoopback);

    /// <summary>
    /// Gets the <c>Host</c> names the emulator answers (any other gets 400, against DNS rebinding): <c>localhost</c>,
    /// <c>127.0.0.1</c>, <c>[::1]</c>, the hosts of the URLs it listens on (for a wildcard address, this machine's
    /// interface addresses), and <see cref="OtpEmulatorOptions.AllowedHosts"/>.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; private init; } = [];

    /// <summary>Gets the inbox page: every message sent, live, with the codes' states and fault controls.</summary>
    public Uri InboxAddress => BaseAddress;

    /// <summary>Gets the messages sent so far.</summary>
    public OtpEmulatorOutbox Outbox => state.Outbox;

    /// <summary>Gets the faults waiting to hit requests.</summary>
    public OtpEmulatorFaults Faults => state.Faults;

    /// <summary>Gets how each provider's messages reach the phone: delivered, dropped silently, or late.</summary>
    public OtpEmulatorDelivery Delivery => state.Delivery;

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
        var urls = options.Urls ?? $"http://127.0.0.1:{options.Port}";
        builder.WebHost.UseUrls(urls);
        var allowedHosts = RequestGate.AllowedHosts(urls, options.AllowedHosts);
        builder.Services.AddHostFiltering(o =>
        {
            // Against DNS rebinding: a page of attacker.example that resolves its name to 127.0.0.1 sends
            // Host: attacker.example, and gets 400 instead of the codes and credentials.
            o.AllowedHosts = allowedHosts;
            o.AllowEmptyHosts = false;
            o.IncludeFailureMessage = false;
        });
        var app = builder.Build();
        var state = new EmulatorState(options);
        var router = new EmulatorRouter(state, app.Lifetime.ApplicationStopping);
        app.UseHostFiltering();
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.TrimEnd('/') + "/"))
            .ToArray();
        var emulator = new OtpEmulator(app, state, Reachable(addresses.FirstOrDefault(a => a.IsLoopback) ?? addresses[0]))
        {
            Addresses = addresses,
            AllowedHosts = allowedHosts,
        };
        state.BaseAddress = emulator.BaseAddress;
        return emulator;
    }

    /// <summary>A listening address a client can call: a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>) is reached on loopback.</summary>
    private static Uri Reachable(Uri address) =>
        address.Host is "0.0.0.0" or "[::]" or "::" ? new UriBuilder(address) { Host = "127.0.0.1" }.Uri : address;

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
        options.Sender ??= NinetyNineDigitalSender;
    }

    /// <summary>The 99digital sender the emulator's settings use when none is set (99digital needs one).</summary>
    public const string NinetyNineDigitalSender = "Emulator";

    /// <summary>
    /// Points Twilio Verify options (the <c>OtpClients.Twilio</c> plug-in) at the emulator with its credentials:
    /// <c>otp.UseTwilioVerify(emulator.ConfigureTwilio)</c>.
    /// </summary>
    /// <param name="options">The options to set.</param>
    public void ConfigureTwilio(OtpClients.Twilio.TwilioVerifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.BaseAddress = BaseAddress;
        options.AccountSid = Credentials.TwilioAccountSid;
        options.AuthToken = Credentials.TwilioAuthToken;
        options.ApiKeySid = null;
        options.ApiKeySecret = null;
        options.ServiceSid = Credentials.TwilioServiceSid;
    }

    /// <summary>Forgets every code, message, setting and fault, as if just started.</summary>
    public void Reset()
    {
        state.Reset();
        state.NotifyChanged("reset");
    }

    /// <summary>Gets the state of a message's code as its emulated provider holds it now.</summary>
    /// <param name="message">A message from <see cref="Outbox"/>.</param>
    /// <returns>The state, or <see langword="null"/> when the provider no longer knows the code (after <see cref="Reset"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public OtpEmulatorCodeStatus? StatusOf(OtpEmulatorMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return state.StatusOf(message);
    }

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
        Credentials = new OtpEmulatorCredentials(options.AmmAuthKey, options.AmmAuthSecret, options.Ip1AccountId, options.Ip1ApiKey, options.NinetyNineDigitalApiKey)
        {
            TwilioAccountSid = options.TwilioAccountSid,
            TwilioAuthToken = options.TwilioAuthToken,
            TwilioServiceSid = options.TwilioServiceSid,
        };
        Outbox = new OtpEmulatorOutbox(TimeProvider);
        Delivery = new OtpEmulatorDelivery(() => NotifyChanged("delivery"));
        Faults = new OtpEmulatorFaults(options.FaultSeed);
        Amm = new AmmEmulator(this);
        Ip1 = new Ip1Emulator(this);
        NinetyNineDigital = new NinetyNineDigitalEmulator(this);
        Twilio = new TwilioVerifyEmulator(this);
    }

    public OtpEmulatorOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public OtpEmulatorCredentials Credentials { get; }

    public OtpEmulatorOutbox Outbox { get; }

    public OtpEmulatorFaults Faults { get; }

    public OtpEmulatorDelivery Delivery { get; }

    /// <summary>Puts a message a provider accepted in the outbox, stamped with the provider's delivery.</summary>
    public void Send(OtpEmulatorMessage message) => Outbox.Add(Delivery.Apply(message));

    public AmmEmulator Amm { get; private set; }

    public Ip1Emulator Ip1 { get; private set; }

    public NinetyNineDigitalEmulator NinetyNineDigital { get; private set; }

    public TwilioVerifyEmulator Twilio { get; private set; }

    public Uri? BaseAddress { get; set; }

    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    /// <summary>Raised after anything the inbox shows may have changed: a provider call, a clear, a fault change.</summary>
    public event Action<string>? Changed;

    public void NotifyChanged(string kind) => Changed?.Invoke(kind);

    public OtpEmulatorCodeStatus? StatusOf(OtpEmulatorMessage message) => message.Provider switch
    {
        OtpProviderNames.Amm => Amm.StatusOf(message.Id),
        OtpProviderNames.Ip1 => Ip1.StatusOf(message.Id),
        OtpProviderNames.NinetyNineDigital => NinetyNineDigital.StatusOf(message.Id),
        TwilioVerifyEmulator.Name => Twilio.StatusOf(message.Id),
        _ => null,
    };

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
        Delivery.Reset();
        Amm = new AmmEmulator(this);
        Ip1 = new Ip1Emulator(this);
        NinetyNineDigital = new NinetyNineDigitalEmulator(this);
        Twilio = new TwilioVerifyEmulator(this);
    }
}

/// <summary>Sends each request to its provider, applies faults, and serves the control endpoints.</summary>
internal sealed class EmulatorRouter(EmulatorState state, CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path is "/" or "/index.html" || path.StartsWith("/_emulator/inbox/", StringComparison.Ordinal))
        {
            await InboxAssets.ServeAsync(context, path).ConfigureAwait(false);
            return;
        }

        // Every other answer (control JSON, provider answers, injected faults whatever their content type) is data,
        // never a page: set as the headers go out, after anything that cleared the response.
        context.Response.OnStarting(static response =>
        {
            RequestGate.Harden((HttpResponse)response);
            return Task.CompletedTask;
        }, context.Response);

        if (path.StartsWith("/_emulator", StringComparison.OrdinalIgnoreCase))
        {
            if (RequestGate.CheckControlWrite(context) is { } refusal)
            {
                await Http.WriteJsonAsync(context, refusal.Status, new JsonObject { ["error"] = refusal.Message }).ConfigureAwait(false);
                return;
            }

            await ControlAsync(context, path).ConfigureAwait(false);
            return;
        }

        if (RequestGate.RefuseProviderCall(context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        try
        {
            await ProviderAsync(context, path).ConfigureAwait(false);
        }
        finally
        {
            state.NotifyChanged("provider");
        }
    }

    private async Task ProviderAsync(HttpContext context, string path)
    {
        var provider = path.StartsWith("/sms/v2/verify/", StringComparison.OrdinalIgnoreCase) ? OtpProviderNames.Amm
            : path.StartsWith("/api/authentications", StringComparison.OrdinalIgnoreCase) ? OtpProviderNames.Ip1
            : path.StartsWith("/sms/", StringComparison.OrdinalIgnoreCase) ? OtpProviderNames.NinetyNineDigital
            : path.StartsWith("/v2/Services/", StringComparison.Ordinal) ? TwilioVerifyEmulator.Name
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
        TwilioVerifyEmulator.Name => state.Twilio.HandleAsync(context, path),
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
                // A page of another site must not learn the credentials (it could then call the emulator's providers
                // as the app does): they are masked unless asked for from the emulator's own origin or outside a browser.
                var reveal = RequestGate.MayRevealSecrets(context);
                string Secret(string value) => reveal ? value : Mask(value);
                await Http.WriteJsonAsync(context, 200, new JsonObject
                {
                    ["baseAddress"] = state.BaseAddress?.ToString(),
                    ["amm"] = new JsonObject { ["authKey"] = Secret(state.Credentials.AmmAuthKey), ["authSecret"] = Secret(state.Credentials.AmmAuthSecret) },
                    ["ip1"] = new JsonObject { ["accountId"] = state.Credentials.Ip1AccountId, ["apiKey"] = Secret(state.Credentials.Ip1ApiKey) },
                    ["ninetyNineDigital"] = new JsonObject { ["apiKey"] = Secret(state.Credentials.NinetyNineDigitalApiKey), ["sender"] = OtpEmulator.NinetyNineDigitalSender },
                    ["twilio"] = new JsonObject { ["accountSid"] = state.Credentials.TwilioAccountSid, ["authToken"] = Secret(state.Credentials.TwilioAuthToken), ["serviceSid"] = state.Credentials.TwilioServiceSid },
                    ["inbox"] = state.BaseAddress?.ToString(),
                    ["masked"] = !reveal,
                }).ConfigureAwait(false);
                return;
            case "/_emulator/messages" when HttpMethods.IsGet(method):
                var phone = context.Request.Query["phone"].ToString();
                var e164 = PhoneNumber.TryParse(phone, out var parsed) ? parsed.E164 : null;
                var provider = context.Request.Query["provider"].ToString();
                var list = new JsonArray();
                foreach (var m in state.Outbox.Messages.Where(m => (e164 is null || m.PhoneNumber == e164) && (provider.Length == 0 || string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase))))
                {
                    var status = state.StatusOf(m);
                    list.Add((JsonNode)new JsonObject
                    {
                        ["provider"] = m.Provider,
                        ["id"] = m.Id,
                        ["phoneNumber"] = m.PhoneNumber,
                        ["sender"] = m.Sender,
                        ["text"] = m.Text,
                        ["code"] = m.Code,
                        ["channel"] = m.Channel switch { OtpChannel.Voice => "voice", OtpChannel.WhatsApp => "whatsapp", _ => "sms" },
                        ["encoding"] = m.Encoding == OtpClients.Messages.SmsEncoding.Gsm7 ? "GSM-7" : "UCS-2",
                        ["segments"] = m.Segments,
                        ["sentAt"] = m.SentAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        ["sandbox"] = m.Sandbox,
                        ["delivery"] = m.Delivery switch
                        {
                            OtpEmulatorDeliveryMode.Drop => "dropped",
                            OtpEmulatorDeliveryMode.Delay => m.IsDeliveredBy(state.Now) ? "delivered" : "delayed",
                            _ => "delivered",
                        },
                        ["deliveredAt"] = m.DeliveredAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        ["status"] = status is null ? null : new JsonObject
                        {
                            ["state"] = status.State.ToString().ToLowerInvariant(),
                            ["attemptsUsed"] = status.AttemptsUsed,
                            ["maxAttempts"] = status.MaxAttempts,
                            ["expiresAt"] = status.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        },
                    });
                }

                await Http.WriteJsonAsync(context, 200, list).ConfigureAwait(false);
                return;
            case "/_emulator/messages" when HttpMethods.IsDelete(method):
                state.Outbox.Clear();
                context.Response.StatusCode = 204;
                state.NotifyChanged("cleared");
                return;
            case "/_emulator/events" when HttpMethods.IsGet(method):
                await EventsAsync(context).ConfigureAwait(false);
                return;
            case "/_emulator/faults" when HttpMethods.IsGet(method):
                var pending = new JsonArray();
                foreach (var f in state.Faults.Pending)
                {
                    pending.Add((JsonNode)new JsonObject
                    {
                        ["provider"] = f.Provider,
                        ["path"] = f.Path,
                        ["status"] = f.StatusCode,
                        ["delayMs"] = f.Delay is { } d ? (long)d.TotalMilliseconds : null,
                        ["abort"] = f.Abort,
                        ["count"] = f.Count,
                        ["probability"] = f.Probability,
                        ["afterProcessing"] = f.AfterProcessing,
                    });
                }

                await Http.WriteJsonAsync(context, 200, pending).ConfigureAwait(false);
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
                state.NotifyChanged("faults");
                return;
            case "/_emulator/delivery" when HttpMethods.IsGet(method):
                var rules = new JsonObject();
                foreach (var (name, rule) in state.Delivery.Rules.OrderBy(r => r.Key, StringComparer.OrdinalIgnoreCase))
                {
                    rules[name] = new JsonObject
                    {
                        ["mode"] = rule.Mode.ToString().ToLowerInvariant(),
                        ["delayMs"] = rule.Mode == OtpEmulatorDeliveryMode.Delay ? (long)rule.Delay.TotalMilliseconds : null,
                    };
                }

                await Http.WriteJsonAsync(context, 200, rules).ConfigureAwait(false);
                return;
            case "/_emulator/delivery" when HttpMethods.IsPost(method):
                if (await Http.ReadJsonAsync(context).ConfigureAwait(false) is not JsonObject deliveryNode || !TryReadDelivery(deliveryNode, out var target, out var deliveryRule))
                {
                    await Http.WriteJsonAsync(context, 400, new JsonObject { ["error"] = "Expected JSON: provider, optionally channel (sms, voice or whatsapp), mode (deliver, drop or delay), and delayMs (1 to 86400000) for delay." }).ConfigureAwait(false);
                    return;
                }

                state.Delivery.Set(target, deliveryRule);
                context.Response.StatusCode = 204;
                return;
            case "/_emulator/faults" when HttpMethods.IsDelete(method):
                var only = context.Request.Query["provider"].ToString();
                if (only.Length == 0)
                {
                    state.Faults.Clear();
                }
                else
                {
                    state.Faults.Clear(only);
                }

                context.Response.StatusCode = 204;
                state.NotifyChanged("faults");
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    /// <summary>
    /// Server-sent events: <c>change</c> (data: what changed) after every provider call, clear or fault change, and a
    /// comment every 15 seconds to keep proxies from closing the stream. Ends when the client goes or the emulator stops.
    /// </summary>
    private async Task EventsAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var signals = System.Threading.Channels.Channel.CreateBounded<string>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest,
        });
        void OnChanged(string kind) => signals.Writer.TryWrite(kind);
        state.Changed += OnChanged;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await context.Response.WriteAsync("retry: 1000\n: connected\n\n", done.Token).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(done.Token).ConfigureAwait(false);
            while (true)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(done.Token);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                string frame;
                try
                {
                    var kind = await signals.Reader.ReadAsync(heartbeat.Token).ConfigureAwait(false);
                    frame = $"event: change\ndata: {{\"kind\":\"{kind}\"}}\n\n";
                }
                catch (OperationCanceledException) when (!done.IsCancellationRequested)
                {
                    frame = ": heartbeat\n\n";
                }

                await context.Response.WriteAsync(frame, done.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(done.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The page went away, or the emulator is stopping.
        }
        finally
        {
            state.Changed -= OnChanged;
        }
    }

    private static bool TryReadDelivery(JsonObject node, out string provider, out OtpEmulatorDeliveryRule rule)
    {
        provider = string.Empty;
        rule = OtpEmulatorDeliveryRule.Immediate;
        try
        {
            provider = Http.String(node, "provider") ?? string.Empty;
            if (provider.Trim().Length == 0)
            {
                return false;
            }

            var channel = Http.String(node, "channel")?.ToLowerInvariant();
            if (channel is not null)
            {
                if (channel is not ("sms" or "voice" or "whatsapp"))
                {
                    return false;
                }

                provider = OtpEmulatorDelivery.Key(provider, channel == "voice" ? OtpChannel.Voice : channel == "whatsapp" ? OtpChannel.WhatsApp : OtpChannel.Sms);
            }

            var delay = Http.Int(node, "delayMs");
            rule = Http.String(node, "mode")?.ToLowerInvariant() switch
            {
                "deliver" => OtpEmulatorDeliveryRule.Immediate,
                "drop" => new OtpEmulatorDeliveryRule(OtpEmulatorDeliveryMode.Drop),
                "delay" when delay is > 0 and <= 86_400_000 => new OtpEmulatorDeliveryRule(OtpEmulatorDeliveryMode.Delay, TimeSpan.FromMilliseconds(delay.Value)),
                _ => null!,
            };
            return provider.Trim().Length > 0 && rule is not null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>A secret with all but its first two characters hidden.</summary>
    private static string Mask(string secret) => secret.Length <= 2 ? new string('*', secret.Length) : secret[..2] + new string('*', Math.Min(secret.Length - 2, 12));

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
