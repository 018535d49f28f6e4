using System.Security.Cryptography;
using OtpClients.Guard;
using StackExchange.Redis;

namespace OtpClients.Redis;

/// <summary>
/// Send-guard counters in Redis, shared by every app instance: each counter is a sorted set of event times (a sliding
/// window), and one check is one Lua script, so one round trip that takes every counter atomically, all or nothing.
/// Key names hold only keyed hashes (<see cref="RedisKeys"/>); members are random event ids or region codes.
/// </summary>
internal sealed class RedisOtpGuardStore(RedisConnection connection, RedisKeys keys) : IOtpGuardStore
{
    /// <summary>
    /// KEYS: the counters, then per conversion check the sends and verifications of its IP or network.
    /// ARGV: now (ms), number of counters, event id; per counter limit, window (ms), member ('' for none); then the
    /// number of conversion checks and, per check, its window (ms), grace (ms), fewest sends and largest unverified share.
    /// Returns {0, 0} when allowed, else {index of the refusing counter (counters + k for the k-th conversion check), retry after (ms)}.
    /// </summary>
    internal const string AcquireScript = """
        local now = tonumber(ARGV[1])
        local n = tonumber(ARGV[2])
        local event = ARGV[3]
        for i = 1, n do
          local base = 3 + (i - 1) * 3
          local limit = tonumber(ARGV[base + 1])
          local window = tonumber(ARGV[base + 2])
          local member = ARGV[base + 3]
          local key = KEYS[i]
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
          if member == '' or not redis.call('ZSCORE', key, member) then
            local count = redis.call('ZCARD', key)
            if count >= limit then
              local retry = window
              if limit > 0 then
                local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
                if oldest[2] then retry = tonumber(oldest[2]) + window - now end
              end
              return {i, retry}
            end
          end
        end
        local c = 3 + n * 3
        local m = tonumber(ARGV[c + 1] or '0')
        for k = 1, m do
          local at = c + 1 + (k - 1) * 4
          local sends = KEYS[n + 2 * k - 1]
          local verified = KEYS[n + 2 * k]
          local window = tonumber(ARGV[at + 1])
          local grace = tonumber(ARGV[at + 2])
          local fewest = tonumber(ARGV[at + 3])
          local share = tonumber(ARGV[at + 4])
          redis.call('ZREMRANGEBYSCORE', sends, '-inf', now - window)
          redis.call('ZREMRANGEBYSCORE', verified, '-inf', now - window)
          local counted = redis.call('ZCOUNT', sends, '-inf', now - grace)
          if counted > 0 and counted >= fewest then
            local v = redis.call('ZCARD', verified)
            if v > counted then v = counted end
            if (counted - v) > share * counted then
              local oldest = redis.call('ZRANGE', sends, 0, 0, 'WITHSCORES')
              return {n + k, tonumber(oldest[2]) + window - now}
            end
          end
        end
        for i = 1, n do
          local base = 3 + (i - 1) * 3
          local member = ARGV[base + 3]
          if member == '' then member = event end
          redis.call('ZADD', KEYS[i], now, member)
          redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[base + 2]))
        end
        for k = 1, m do
          local at = c + 1 + (k - 1) * 4
          redis.call('ZADD', KEYS[n + 2 * k - 1], now, event)
          redis.call('PEXPIRE', KEYS[n + 2 * k - 1], tonumber(ARGV[at + 1]))
        end
        return {0, 0}
        """;

    /// <summary>KEYS: the counters to give an event back to. ARGV[1]: the instant the events were taken at (ms). Removes one event of that instant from each.</summary>
    internal const string ReleaseScript = """
        for i = 1, #KEYS do
          local taken = redis.call('ZRANGEBYSCORE', KEYS[i], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
          if taken[1] then redis.call('ZREM', KEYS[i], taken[1]) end
        end
        return 1
        """;

    /// <summary>KEYS[1]: the counter. ARGV: now (ms), window (ms), event id.</summary>
    internal const string RecordScript = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        redis.call('ZADD', KEYS[1], now, ARGV[3])
        redis.call('PEXPIRE', KEYS[1], window)
        return 1
        """;

    public async ValueTask<OtpGuardDecision> TryAcquireAsync(OtpGuardRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var counters = request.Counters;
        var conversions = request.Conversions ?? [];
        var redisKeys = new RedisKey[counters.Count + (conversions.Count * 2)];
        var values = new RedisValue[3 + (counters.Count * 3) + (conversions.Count == 0 ? 0 : 1 + (conversions.Count * 4))];
        values[0] = request.Now.ToUnixTimeMilliseconds();
        values[1] = counters.Count;
        values[2] = EventId();
        for (var i = 0; i < counters.Count; i++)
        {
            var counter = counters[i];
            redisKeys[i] = keys.Counter(counter.Rule, counter.Key);
            values[3 + (i * 3)] = counter.Limit;
            values[4 + (i * 3)] = WindowMs(counter.Window);
            values[5 + (i * 3)] = counter.Member ?? string.Empty;
        }

        if (conversions.Count > 0)
        {
            var at = 3 + (counters.Count * 3);
            values[at] = conversions.Count;
            for (var k = 0; k < conversions.Count; k++)
            {
                var conversion = conversions[k];
                redisKeys[counters.Count + (2 * k)] = keys.Counter(OtpGuardRules.Conversion, conversion.SendsKey);
                redisKeys[counters.Count + (2 * k) + 1] = keys.Counter(OtpGuardRules.Conversion, conversion.VerifiedKey);
                var first = at + 1 + (k * 4);
                values[first] = WindowMs(conversion.Window);
                values[first + 1] = (long)conversion.GracePeriod.TotalMilliseconds;
                values[first + 2] = conversion.MinSends;
                values[first + 3] = conversion.MaxUnverifiedRatio;
            }
        }

        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        var result = (RedisValue[]?)await database.ScriptEvaluateAsync(AcquireScript, redisKeys, values).WaitAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The guard script answered nothing.");
        var index = (int)result[0];
        if (index == 0)
        {
            return OtpGuardDecision.Allowed;
        }

        var rule = index <= counters.Count ? counters[index - 1].Rule : OtpGuardRules.Conversion;
        return OtpGuardDecision.Refused(rule, TimeSpan.FromMilliseconds(Math.Max((long)result[1], 1000)));
    }

    public async ValueTask ReleaseAsync(OtpGuardRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var released = new List<RedisKey>(request.Counters.Count + (request.Conversions?.Count ?? 0));
        foreach (var counter in request.Counters)
        {
            if (counter.Member is null)
            {
                released.Add(keys.Counter(counter.Rule, counter.Key));
            }
        }

        foreach (var conversion in request.Conversions ?? [])
        {
            released.Add(keys.Counter(OtpGuardRules.Conversion, conversion.SendsKey));
        }

        if (released.Count == 0)
        {
            return;
        }

        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        await database.ScriptEvaluateAsync(ReleaseScript, [.. released], [request.Now.ToUnixTimeMilliseconds()]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RecordAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        var database = await connection.GetDatabaseAsync().ConfigureAwait(false);
        await database.ScriptEvaluateAsync(
            RecordScript,
            [keys.Counter(OtpGuardRules.Conversion, key)],
            [now.ToUnixTimeMilliseconds(), WindowMs(window), EventId()]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long WindowMs(TimeSpan window) => Math.Max(1, (long)window.TotalMilliseconds);

    /// <summary>A random member for one event: events of the same millisecond stay distinct.</summary>
    private static string EventId()
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes);
    }
}
