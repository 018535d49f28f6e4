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

    /// <summary>The Redis key of a delivery-health series: <c>{prefix}h:{hash}</c>.</summary>
    public string DeliverySeries(string scope, string provider, string region) => Prefix + "h:" + Hash("delivery\n" + scope + "\n" + provider + "\n" + region);

    /// <summary>The Redis key of a client network's count toward a delivery-health series: <c>{prefix}h:n:{hash}</c>.</summary>
    public string DeliveryNetwork(string scope, string provider, string region, string network) => Prefix + "h:n:" + Hash("delivery-network\n" + scope + "\n" + provider + "\n" + region + "\n" + network);

    /// <summary>The Redis key of a registration's index of delivery-health series: <c>{prefix}h:i:{hash}</c>.</summary>
    public string DeliveryIndex(string scope) => Prefix + "h:i:" + Hash("delivery-index\n" + scope);

    /// <summary>Encrypts a value with AES-256-GCM, bound to <paramref name="associated"/> (the Redis key it is stored under): nonce, ciphertext, tag.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plain, string associated)
    {
        var sealedValue = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedValue.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(ValueKey, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(NonceSize, plain.Length), sealedValue.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(associated));
        return sealedValue;
    }

    /// <summary>Decrypts a value of <see cref="Seal"/>; <see langword="null"/> when it does not authenticate under <paramref name="associated"/> (altered, or another key's).</summary>
    public byte[]? Open(byte[]? value, string associated)
    {
        if (value is null || value.Length < NonceSize + TagSize)
        {
            return null;
        }

        var length = value.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(ValueKey, TagSize);
            aes.Decrypt(value.AsSpan(0, NonceSize), value.AsSpan(NonceSize, length), value.AsSpan(NonceSize + length), plain, Encoding.UTF8.GetBytes(associated));
            return plain;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private const int NonceSize = 12;
    private const int TagSize = 16;

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
