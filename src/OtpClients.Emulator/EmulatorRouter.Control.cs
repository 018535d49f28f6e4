using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpClients.Emulator;

/// <summary>The emulator's control API (<c>/_emulator/…</c>): messages, faults, delivery, accounts.</summary>
internal sealed partial class EmulatorRouter
{
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
