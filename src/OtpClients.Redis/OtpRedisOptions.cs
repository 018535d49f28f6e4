namespace OtpClients.Redis;

/// <summary>
/// Settings of the Redis stores (<c>otp.UseRedis(…)</c>, or a <c>Redis</c> configuration section bound with
/// <c>otp.UseRedis(section)</c>). Validated at start, with messages that name the setting.
/// </summary>
public sealed class OtpRedisOptions
{
    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string, e.g. <c>localhost:6379</c> or
    /// <c>redis.internal:6380,ssl=true,password=…</c>. <see langword="null"/> (the default): the
    /// <c>IConnectionMultiplexer</c> registered in the services is used. A connection made from this string does not
    /// abort on a failed first connect, keeps reconnecting, and fails commands at once while disconnected (so the guard
    /// can fail closed quickly) unless the string says otherwise.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every key written. Defaults to <c>{otp}:</c>. The braces are a Redis Cluster hash tag:
    /// one guard check touches several keys in one script, which Cluster allows only when they share a slot, and the tag
    /// puts every key of the prefix in one slot (on a single server they are plain characters). On Cluster, keep a hash
    /// tag (a non-empty <c>{…}</c>) when you change it: without one the stores refuse to work there, and say why.
    /// </summary>
    public string KeyPrefix { get; set; } = "{otp}:";

    /// <summary>
    /// Gets or sets the secret the stores derive their keys from: phone numbers, IP addresses and session ids appear in
    /// Redis keys only as an HMAC-SHA256 under it, and session values are encrypted (AES-GCM) under another key derived
    /// from it. Required; at least 32 characters. Every app instance sharing the Redis must use the same value; changing
    /// it forgets the counters and sessions written before. Keep it in a secret store, not in appsettings.json.
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>Gets or sets the Redis database number. Defaults to -1: the connection's default database.</summary>
    public int Database { get; set; } = -1;
}
