using System.Buffers;
using System.Text.Json;
using OtpClients.Guard;

namespace OtpClients.Redis;

/// <summary>
/// Verification sessions in Redis, shared by every app instance: one string per session holding the whole state
/// (number, codes, attempts, cap), encrypted and authenticated with AES-GCM and bound to its key, expiring with the
/// session. The attempt count lives inside the authenticated value, so nobody with write access to Redis can set it back:
/// an altered value reads as no session. Changes are compare-and-set (a script writes only over the value it read), so
/// many instances counting attempts of one session at once never lose one.
/// </summary>
internal sealed class RedisOtpSessionStore(RedisConnection connection, RedisKeys keys) : IOtpSessionStore
{
    /// <summary>How many times a change is tried again when another instance changed the session in between.</summary>
    private const int MaxConflicts = 32;

    /// <summary>KEYS[1]: the session. ARGV: value, time to live (ms). Refuses to overwrite.</summary>
    internal const string CreateScript = """
        return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') and 1 or 0
        """;

    /// <summary>
    /// KEYS[1]: the session. ARGV: the value read, the new value, its time to live (ms). Writes only when the value is still
    /// the one read: 1 when written, 0 when another instance changed it (read again), -1 when it is gone.
    /// </summary>
    internal const string CompareAndSetScript = """
        local current = redis.call('GET', KEYS[1])
        if not current then return -1 end
        if current ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        return 1
        """;

    public async Task CreateAsync(string verificationId, OtpSessionState session, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        ArgumentNullException.ThrowIfNull(session);
        var key = keys.Session(verificationId);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        var created = (long)await database.ScriptEvaluateAsync(CreateScript, [key], [Seal(key, session), Milliseconds(timeToLive)]).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (created != 1)
        {
            throw new InvalidOperationException("A verification session with this id exists already.");
        }
    }

    public async Task<OtpSessionState?> GetAsync(string verificationId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        var key = keys.Session(verificationId);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        var value = (byte[]?)await database.StringGetAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        return Open(key, value) is { } session && session.ExpiresAt > now ? session : null;
    }

    public async Task<OtpSessionState?> UpdateAsync(string verificationId, DateTimeOffset now, Func<OtpSessionState, OtpSessionState> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        ArgumentNullException.ThrowIfNull(update);
        var key = keys.Session(verificationId);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var value = (byte[]?)await database.StringGetAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Open(key, value) is not { } session)
            {
                return null; // none, or not a value this store wrote under this key (another HashKey, or tampered)
            }

            if (session.ExpiresAt <= now)
            {
                return null;
            }

            var changed = update(session);
            if (ReferenceEquals(changed, session))
            {
                return session;
            }

            var written = (long)await database.ScriptEvaluateAsync(CompareAndSetScript, [key], [value, Seal(key, changed), Milliseconds(changed.ExpiresAt - now)]).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (written == 1)
            {
                return changed;
            }

            if (written == -1)
            {
                return null;
            }
        }

        throw new InvalidOperationException($"The verification session changed under {MaxConflicts} tries in a row.");
    }

    public async Task<bool> CompleteAsync(string verificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        return await database.KeyDeleteAsync(keys.Session(verificationId)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long Milliseconds(TimeSpan timeToLive) => Math.Max(1, (long)Math.Ceiling(timeToLive.TotalMilliseconds));

    /// <summary>Serializes and encrypts a session; the Redis key is the associated data.</summary>
    private byte[] Seal(string key, OtpSessionState session)
    {
        var plain = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(plain))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 2);
            writer.WriteString("n", session.PhoneNumber);
            writer.WriteNumber("a", session.Attempts);
            writer.WriteNumber("m", session.MaxAttempts);
            writer.WriteNumber("r", session.Resends);
            writer.WriteNumber("e", session.ExpiresAt.ToUnixTimeMilliseconds());
            var settings = session.Settings;
            if (settings.Sender is { } sender)
            {
                writer.WriteString("fs", sender);
            }

            if (settings.MessageTemplate is { } template)
            {
                writer.WriteString("ft", template);
            }

            if (settings.Culture is { } culture)
            {
                writer.WriteString("fc", culture);
            }

            if (settings.Channel != OtpChannel.Sms)
            {
                writer.WriteNumber("fh", (int)settings.Channel);
            }

            if (session.ClientNetwork is { } network)
            {
                writer.WriteString("w", network);
            }

            if (settings.CodeLength is { } length)
            {
                writer.WriteNumber("fl", length);
            }

            if (settings.TimeToLive is { } ttl)
            {
                writer.WriteNumber("fx", (long)ttl.TotalMilliseconds);
            }

            writer.WriteStartArray("c");
            foreach (var entry in session.Challenges)
            {
                writer.WriteStartObject();
                writer.WriteString("p", entry.Challenge.ProviderName);
                writer.WriteString("i", entry.Challenge.Id);
                writer.WriteString("n", entry.Challenge.PhoneNumber);
                if (entry.Challenge.ExpiresAt is { } expires)
                {
                    writer.WriteNumber("x", expires.ToUnixTimeMilliseconds());
                }

                writer.WriteNumber("s", entry.SentAt.ToUnixTimeMilliseconds());
                if (entry.Resent)
                {
                    writer.WriteBoolean("r", true);
                }

                if (!entry.CountsForDeliveryHealth)
                {
                    writer.WriteBoolean("q", false);
                }

                if (entry.Channel != OtpChannel.Sms)
                {
                    writer.WriteNumber("h", (int)entry.Channel);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return keys.Seal(plain.WrittenSpan, key);
    }

    /// <summary>Decrypts and reads a session; <see langword="null"/> when the value does not authenticate under this key or is malformed.</summary>
    private OtpSessionState? Open(string key, byte[]? value)
    {
        if (keys.Open(value, key) is not { } plain)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(plain);
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() != 2)
            {
                return null;
            }

            var challenges = new List<OtpSessionChallenge>();
            foreach (var item in root.GetProperty("c").EnumerateArray())
            {
                var challenge = new OtpChallenge(item.GetProperty("p").GetString()!, item.GetProperty("i").GetString()!, item.GetProperty("n").GetString()!)
                {
                    ExpiresAt = item.TryGetProperty("x", out var x) ? DateTimeOffset.FromUnixTimeMilliseconds(x.GetInt64()) : null,
                };
                challenges.Add(new OtpSessionChallenge(challenge, DateTimeOffset.FromUnixTimeMilliseconds(item.GetProperty("s").GetInt64()))
                {
                    Resent = item.TryGetProperty("r", out var r) && r.GetBoolean(),
                    CountsForDeliveryHealth = !item.TryGetProperty("q", out var q) || q.GetBoolean(),
                    Channel = item.TryGetProperty("h", out var h) ? (OtpChannel)h.GetInt32() : OtpChannel.Sms,
                });
            }

            string? Text(string name) => root.TryGetProperty(name, out var p) ? p.GetString() : null;
            var sender = Text("fs");
            var template = Text("ft");
            var culture = Text("fc");
            var sendChannel = root.TryGetProperty("fh", out var fh) ? (OtpChannel)fh.GetInt32() : OtpChannel.Sms;
            int? length = root.TryGetProperty("fl", out var fl) ? fl.GetInt32() : null;
            TimeSpan? ttl = root.TryGetProperty("fx", out var fx) ? TimeSpan.FromMilliseconds(fx.GetInt64()) : null;
            return new OtpSessionState
            {
                PhoneNumber = root.GetProperty("n").GetString()!,
                Attempts = root.GetProperty("a").GetInt32(),
                MaxAttempts = root.GetProperty("m").GetInt32(),
                Resends = root.GetProperty("r").GetInt32(),
                ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("e").GetInt64()),
                Settings = sender is null && template is null && length is null && ttl is null && culture is null && sendChannel == OtpChannel.Sms ? OtpSendSettings.None : new OtpSendSettings(sender, template, length, ttl) { Culture = culture, Channel = sendChannel },
                Challenges = challenges,
                ClientNetwork = Text("w"),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
