using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OtpClients.Guard;
using StackExchange.Redis;

namespace OtpClients.Redis;

/// <summary>
/// Verification sessions in Redis, shared by every app instance: one hash per session (<c>d</c>: the challenge,
/// encrypted with AES-GCM and bound to its key; <c>a</c>: attempts), expiring with the challenge. Each operation is
/// one atomic command or script, so attempts are counted exactly and a session completes once.
/// </summary>
internal sealed class RedisOtpSessionStore(RedisConnection connection, RedisKeys keys) : IOtpSessionStore
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>KEYS[1]: the session. ARGV: value, time to live (ms). Refuses to overwrite.</summary>
    internal const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'd', ARGV[1], 'a', 0)
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>KEYS[1]: the session. Counts an attempt and returns {value, attempts}, or nil when there is no session.</summary>
    internal const string BeginScript = """
        local d = redis.call('HGET', KEYS[1], 'd')
        if not d then return nil end
        local a = redis.call('HINCRBY', KEYS[1], 'a', 1)
        return {d, a}
        """;

    /// <summary>KEYS[1]: the session. Gives back one counted attempt when the session exists and has one.</summary>
    internal const string ReleaseAttemptScript = """
        if tonumber(redis.call('HGET', KEYS[1], 'a') or '0') > 0 then redis.call('HINCRBY', KEYS[1], 'a', -1) end
        return 1
        """;

    public async Task CreateAsync(string verificationId, OtpChallenge challenge, DateTimeOffset expiresAt, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        ArgumentNullException.ThrowIfNull(challenge);
        var key = keys.Session(verificationId);
        var value = Seal(key, challenge, expiresAt);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        var created = (long)await database.ScriptEvaluateAsync(CreateScript, [key], [value, Math.Max(1, (long)Math.Ceiling(timeToLive.TotalMilliseconds))]).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (created != 1)
        {
            throw new InvalidOperationException("A verification session with this id exists already.");
        }
    }

    public async Task<OtpSessionAttempt?> BeginAttemptAsync(string verificationId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        var key = keys.Session(verificationId);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        var result = await database.ScriptEvaluateAsync(BeginScript, [key]).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisValue[])result!;
        if (parts.Length != 2 || Open(key, (byte[])parts[0]!) is not { } opened)
        {
            return null; // not a value this store wrote under this key (another HashKey, or tampered): no session
        }

        if (opened.ExpiresAt <= now)
        {
            await database.KeyDeleteAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        return new OtpSessionAttempt(opened.Challenge, (int)(long)parts[1]);
    }

    public async Task ReleaseAttemptAsync(string verificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        await database.ScriptEvaluateAsync(ReleaseAttemptScript, [keys.Session(verificationId)]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CompleteAsync(string verificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        return await database.KeyDeleteAsync(keys.Session(verificationId)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serializes and encrypts a session: nonce, ciphertext, tag; the Redis key is the associated data.</summary>
    private byte[] Seal(string key, OtpChallenge challenge, DateTimeOffset expiresAt)
    {
        var plain = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(plain))
        {
            writer.WriteStartObject();
            writer.WriteString("p", challenge.ProviderName);
            writer.WriteString("i", challenge.Id);
            writer.WriteString("n", challenge.PhoneNumber);
            if (challenge.ExpiresAt is { } challengeExpiry)
            {
                writer.WriteNumber("c", challengeExpiry.ToUnixTimeMilliseconds());
            }

            writer.WriteNumber("e", expiresAt.ToUnixTimeMilliseconds());
            writer.WriteEndObject();
        }

        var sealedValue = new byte[NonceSize + plain.WrittenCount + TagSize];
        var nonce = sealedValue.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.ValueKey, TagSize);
        aes.Encrypt(nonce, plain.WrittenSpan, sealedValue.AsSpan(NonceSize, plain.WrittenCount), sealedValue.AsSpan(NonceSize + plain.WrittenCount), Encoding.UTF8.GetBytes(key));
        return sealedValue;
    }

    /// <summary>Decrypts and reads a session; <see langword="null"/> when the value does not authenticate under this key or is malformed.</summary>
    private (OtpChallenge Challenge, DateTimeOffset ExpiresAt)? Open(string key, byte[] value)
    {
        if (value.Length < NonceSize + TagSize + 2)
        {
            return null;
        }

        var length = value.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(keys.ValueKey, TagSize);
            aes.Decrypt(value.AsSpan(0, NonceSize), value.AsSpan(NonceSize, length), value.AsSpan(NonceSize + length), plain, Encoding.UTF8.GetBytes(key));
            using var document = JsonDocument.Parse(plain);
            var root = document.RootElement;
            var challenge = new OtpChallenge(root.GetProperty("p").GetString()!, root.GetProperty("i").GetString()!, root.GetProperty("n").GetString()!)
            {
                ExpiresAt = root.TryGetProperty("c", out var c) ? DateTimeOffset.FromUnixTimeMilliseconds(c.GetInt64()) : null,
            };
            return (challenge, DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("e").GetInt64()));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
