using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace OtpClients.Redis;

/// <summary>
/// The connection the stores share: made once from <see cref="OtpRedisOptions.Configuration"/> (and disposed with the
/// services), or the <see cref="IConnectionMultiplexer"/> registered in the services (owned by the app). On Redis
/// Cluster it refuses to work with a key prefix without a hash tag, whose multi-key scripts Cluster would refuse.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly OtpRedisOptions options;
    private readonly IServiceProvider services;
    private readonly string path;
    private readonly bool owned;
    private readonly Lock gate = new();
    private Task<IConnectionMultiplexer>? connection;
    private volatile bool topologyChecked;
    private bool clusterRefusalLogged;

    /// <param name="options">The options.</param>
    /// <param name="services">The services (the registered multiplexer, logging).</param>
    /// <param name="path">The options' configuration path, named in messages.</param>
    public RedisConnection(OtpRedisOptions options, IServiceProvider services, string path)
    {
        this.options = options;
        this.services = services;
        this.path = path;
        owned = options.Configuration is not null;
    }

    /// <summary>Gets the database, connecting on first use (and again after a failed first connect).</summary>
    public async ValueTask<IDatabase> GetDatabaseAsync()
    {
        Task<IConnectionMultiplexer> pending;
        lock (gate)
        {
            if (connection is null || connection.IsFaulted || connection.IsCanceled)
            {
                connection = owned
                    ? ConnectAsync(options.Configuration!)
                    : Task.FromResult((IConnectionMultiplexer?)services.GetService(typeof(IConnectionMultiplexer))
                        ?? throw new InvalidOperationException("OtpClients.Redis needs a connection: set OtpRedisOptions.Configuration (otp.UseRedis(\"host:port\")) or register an IConnectionMultiplexer."));
            }

            pending = connection;
        }

        var multiplexer = await pending.ConfigureAwait(false);
        if (!topologyChecked && multiplexer.IsConnected)
        {
            CheckTopology(multiplexer);
            topologyChecked = true;
        }

        return multiplexer.GetDatabase(options.Database);
    }

    /// <summary>
    /// A guard check is one script over several keys; Redis Cluster runs it only when they share a slot, which the key
    /// prefix's hash tag guarantees. Without one, refuse with the fix, at every use (and log it once), rather than let
    /// every check fail with Cluster's CROSSSLOT error.
    /// </summary>
    private void CheckTopology(IConnectionMultiplexer multiplexer)
    {
        if (RedisKeys.HashTagOf(options.KeyPrefix) is not null
            || !multiplexer.GetServers().Any(static s => s.IsConnected && s.ServerType == ServerType.Cluster))
        {
            return;
        }

        var message = $"The Redis server is a cluster and {path}:KeyPrefix '{options.KeyPrefix}' has no hash tag: a guard check touches several keys in one script, which Redis Cluster runs only within one slot. Put a hash tag in the prefix, such as {{otp}}: (the default).";
        if (!clusterRefusalLogged)
        {
            clusterRefusalLogged = true;
            var logger = (services.GetService(typeof(ILoggerFactory)) as ILoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("OtpClients.Redis");
            LogClusterWithoutHashTag(logger, path, options.KeyPrefix);
        }

        throw new InvalidOperationException(message);
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Error, Message = "The Redis server is a cluster and {Path}:KeyPrefix '{KeyPrefix}' has no hash tag: every guard check and session operation is refused until the prefix has one, such as {{otp}}: (the default).")]
    private static partial void LogClusterWithoutHashTag(ILogger logger, string path, string keyPrefix);

    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? made;
        lock (gate)
        {
            made = connection;
            connection = null;
        }

        if (owned && made is { IsCompletedSuccessfully: true })
        {
            await made.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var parsed = ConfigurationOptions.Parse(configuration);
        var lower = configuration.ToLowerInvariant();
        if (!lower.Contains("abortconnect", StringComparison.Ordinal))
        {
            parsed.AbortOnConnectFail = false; // keep trying in the background; commands fail meanwhile
        }

        parsed.BacklogPolicy = BacklogPolicy.FailFast; // while disconnected, fail at once: the guard fails closed (or open) without waiting
        if (!lower.Contains("connecttimeout", StringComparison.Ordinal))
        {
            parsed.ConnectTimeout = 2000;
        }

        if (!lower.Contains("asynctimeout", StringComparison.Ordinal))
        {
            parsed.AsyncTimeout = 2000;
        }

        return await ConnectionMultiplexer.ConnectAsync(parsed).ConfigureAwait(false);
    }
}
