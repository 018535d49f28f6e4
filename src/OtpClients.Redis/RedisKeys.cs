using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OtpClients.Redis;

/// <summary>
/// The keys of <see cref="OtpRedisOptions.HashKey"/>: one HMAC key for the names of Redis keys (so a number, an IP or a
/// session id never appears in clear) and one AES-GCM key for session values, each derived with HKDF.
/// </summary>
internal sealed class RedisKeys
{
    private readonly byte[] nameKey;

    public RedisKeys(OtpRedisOptions options)
    {
        var secret = Encoding.UTF8.GetBytes(options.HashKey ?? throw new InvalidOperationException("OtpRedisOptions.HashKey is required."));
        nameKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "OtpClients.Redis key names"u8.ToArray());
        ValueKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "OtpClients.Redis session values"u8.ToArray());
        Prefix = options.KeyPrefix;
    }

    public string Prefix { get; }

    /// <summary>
    /// Gets a value indicating whether <see cref="Prefix"/> holds a Redis Cluster hash tag (a non-empty <c>{…}</c>, the first
    /// one counting), so every key of the stores hashes to one slot.
    /// </summary>
    public bool HasHashTag => HashTagOf(Prefix) is not null;

    /// <summary>The hash tag of a key as Redis Cluster reads it: between the first '{' and the next '}', when not empty.</summary>
    internal static string? HashTagOf(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : null;
    }

    /// <summary>Gets the AES-256-GCM key of session values.</summary>
    public byte[] ValueKey { get; }

    /// <summary>The Redis key of a guard counter: <c>{prefix}g:{rule}:{hash}</c>; the rule stays readable for operators.</summary>
    public string Counter(string rule, string key) => Prefix + "g:" + rule + ":" + Hash(key);

    /// <summary>The Redis key of a verification session: <c>{prefix}s:{hash}</c>.</summary>
    public string Session(string verificationId) => Prefix + "s:" + Hash(verificationId);

    /// <summary>HMAC-SHA256 of <paramref name="value"/>, first 128 bits, base64url.</summary>
    public string Hash(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var buffer = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(value, buffer);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(nameKey, buffer, mac);
        return Base64Url.EncodeToString(mac[..16]);
    }
}
