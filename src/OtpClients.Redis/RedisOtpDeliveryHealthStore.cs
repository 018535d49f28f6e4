using System.Globalization;
using System.Text;
using OtpClients.Delivery;
using StackExchange.Redis;

namespace OtpClients.Redis;

/// <summary>
/// Delivery-health figures in Redis, shared by every app instance: one hash per series (registration, provider, region)
/// under a keyed-hash name, with one field per bucket and count (<c>{bucket}s</c>, <c>{bucket}v</c>, <c>{bucket}r</c>),
/// and one index hash per registration whose values (provider and region) are encrypted. An outcome is one script sent
/// without waiting for its answer; a read of a route is one script, one round trip.
/// </summary>
internal sealed class RedisOtpDeliveryHealthStore(RedisConnection connection, RedisKeys keys) : IOtpDeliveryHealthStore
{
    private const int MaxCachedNames = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<OtpDeliverySeries, (string Key, string Index, byte[] SealedIndexValue)> names = new();

    /// <summary>KEYS: the series, the index. ARGV: field, retention (ms), index field, sealed index value.</summary>
    internal const string AddScript = """
        redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: the series. ARGV[1]: the oldest bucket. Returns each series' fields and values from that bucket on, and deletes the older ones.</summary>
    internal const string ReadScript = """
        local oldest = tonumber(ARGV[1])
        local result = {}
        for i = 1, #KEYS do
          local all = redis.call('HGETALL', KEYS[i])
          local kept = {}
          for j = 1, #all, 2 do
            local bucket = tonumber(string.sub(all[j], 1, -2))
            if bucket and bucket >= oldest then
              kept[#kept + 1] = all[j]
              kept[#kept + 1] = all[j + 1]
            else
              redis.call('HDEL', KEYS[i], all[j])
            end
          end
          result[i] = kept
        end
        return result
        """;

    public async ValueTask AddAsync(OtpDeliverySeries series, long bucket, OtpDeliveryOutcome outcome, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        // The keys and the sealed index value of a series are computed once: two keyed hashes and an encryption per
        // outcome would cost more than the script. Bounded like the series themselves (providers × regions).
        if (!names.TryGetValue(series, out var name))
        {
            var index = keys.DeliveryIndex(series.Scope);
            var key = keys.DeliverySeries(series.Scope, series.Provider, series.Region);
            name = (key, index, keys.Seal(Encoding.UTF8.GetBytes(series.Provider + "\n" + series.Region), index));
            if (names.Count < MaxCachedNames)
            {
                names.TryAdd(series, name);
            }
        }

        var field = bucket.ToString(CultureInfo.InvariantCulture) + outcome switch
        {
            OtpDeliveryOutcome.Sent => "s",
            OtpDeliveryOutcome.Verified => "v",
            _ => "r",
        };
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);

        // Fire and forget: a send does not wait for its figure. The connection keeps the order of commands, so this
        // instance's next read sees it.
        await database.ScriptEvaluateAsync(
            AddScript,
            [name.Key, name.Index],
            [field, Math.Max(1, (long)retention.TotalMilliseconds), name.Key, name.SealedIndexValue],
            CommandFlags.FireAndForget).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>KEYS: the network's counter. ARGV: the limit, the window (ms). Returns 1 when this session counts.</summary>
    internal const string NetworkScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        if n <= tonumber(ARGV[1]) then
          return 1
        end
        return 0
        """;

    public async ValueTask<bool> TryAddNetworkAsync(OtpDeliverySeries series, string network, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(network);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        var result = await database.ScriptEvaluateAsync(
            NetworkScript,
            [keys.DeliveryNetwork(series.Scope, series.Provider, series.Region, network)],
            [limit, Math.Max(1, (long)window.TotalMilliseconds)]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async ValueTask<IReadOnlyList<IReadOnlyList<OtpDeliveryBucket>>> ReadAsync(IReadOnlyList<OtpDeliverySeries> series, long oldestBucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
        {
            return [];
        }

        var redisKeys = series.Select(s => (RedisKey)keys.DeliverySeries(s.Scope, s.Provider, s.Region)).ToArray();
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        var result = await database.ScriptEvaluateAsync(ReadScript, redisKeys, [oldestBucket]).WaitAsync(cancellationToken).ConfigureAwait(false);
        var perSeries = (RedisResult[])result!;
        var buckets = new IReadOnlyList<OtpDeliveryBucket>[series.Count];
        for (var i = 0; i < series.Count; i++)
        {
            var fields = (RedisValue[])perSeries[i]!;
            var counts = new Dictionary<long, (long S, long V, long R)>();
            for (var j = 0; j + 1 < fields.Length; j += 2)
            {
                var name = (string)fields[j]!;
                if (name.Length < 2 || !long.TryParse(name.AsSpan(0, name.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index) || !fields[j + 1].TryParse(out long value))
                {
                    continue;
                }

                counts.TryGetValue(index, out var c);
                counts[index] = name[^1] switch
                {
                    's' => c with { S = value },
                    'v' => c with { V = value },
                    'r' => c with { R = value },
                    _ => c,
                };
            }

            buckets[i] = [.. counts.Select(kv => new OtpDeliveryBucket(kv.Key, kv.Value.S, kv.Value.V, kv.Value.R))];
        }

        return buckets;
    }

    public async ValueTask<IReadOnlyList<OtpDeliverySeries>> ListAsync(string scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var index = keys.DeliveryIndex(scope);
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        var entries = await database.HashGetAllAsync(index).WaitAsync(cancellationToken).ConfigureAwait(false);
        var series = new List<OtpDeliverySeries>(entries.Length);
        foreach (var entry in entries)
        {
            if (keys.Open((byte[]?)entry.Value, index) is { } plain && Encoding.UTF8.GetString(plain).Split('\n') is [var provider, var region])
            {
                series.Add(new OtpDeliverySeries(scope, provider, region));
            }
        }

        return [.. series.OrderBy(s => s.Provider, StringComparer.Ordinal).ThenBy(s => s.Region, StringComparer.Ordinal)];
    }
}
