using StackExchange.Redis;

namespace OtpClients.Redis;

/// <summary>
/// The connection the stores share: made once from <see cref="OtpRedisOptions.Configuration"/> (and disposed with the
/// services), or the <see cref="IConnectionMultiplexer"/> registered in the services (owned by the app).
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly OtpRedisOptions options;
    private readonly IServiceProvider services;
    private readonly bool owned;
    private readonly Lock gate = new();
    private Task<IConnectionMultiplexer>? connection;

    public RedisConnection(OtpRedisOptions options, IServiceProvider services)
    {
        this.options = options;
        this.services = services;
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
        return multiplexer.GetDatabase(options.Database);
    }

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
