using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OtpClients.Emulator.Providers;

namespace OtpClients.Emulator;

/// <summary>Sends each request to its provider, applies faults, and serves the control endpoints.</summary>
internal sealed partial class EmulatorRouter(EmulatorState state, CancellationToken stopping)
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
}
