using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpClients.Amm;
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
