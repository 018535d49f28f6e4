using System.Diagnostics;
using System.Globalization;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// A real Redis Cluster on loopback: three <c>redis-server</c> masters in cluster mode (no replicas), their 16384 slots
/// assigned by <c>redis-cli --cluster create</c> (both from the Debian package), ready when every node says
/// <c>cluster_state:ok</c>.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) => this.nodes = nodes;

    /// <summary>Gets the StackExchange.Redis configuration string listing every node.</summary>
    public string Configuration => string.Join(",", nodes.Select(n => n.Configuration));

    /// <summary>Starts the nodes, joins them into one cluster and waits until it serves every slot.</summary>
    public static async Task<RedisCluster> StartAsync(int masters = 3)
    {
        var nodes = new List<RedisServer>();
        var cluster = new RedisCluster(nodes);
        try
        {
            for (var i = 0; i < masters; i++)
            {
                // The cluster bus port defaults to port + 10000, which may be taken or past 65535: give it a free one.
                nodes.Add(await RedisServer.StartAsync(
                    "--cluster-enabled", "yes",
                    "--cluster-port", ProviderStandIn.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
                    "--cluster-node-timeout", "5000"));
            }

            var (exit, output) = await RedisCliAsync(["--cluster", "create", .. nodes.Select(n => n.Configuration), "--cluster-replicas", "0", "--cluster-yes"]);
            if (exit != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({exit}): {output}");
            }

            var deadline = DateTime.UtcNow.AddSeconds(30);
            foreach (var node in nodes)
            {
                while (!(await RedisCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"])).Output.Contains("cluster_state:ok", StringComparison.Ordinal))
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        throw new TimeoutException($"The Redis cluster was not ready within 30 s (node {node.Port}).");
                    }

                    await Task.Delay(100);
                }
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Counts the keys matching a glob pattern on each node (<c>redis-cli --scan</c>), in node order.</summary>
    public async Task<IReadOnlyList<int>> KeysPerNodeAsync(string pattern)
    {
        var counts = new List<int>();
        foreach (var node in nodes)
        {
            var (_, output) = await RedisCliAsync(["-p", node.Port.ToString(CultureInfo.InvariantCulture), "--scan", "--pattern", pattern]);
            counts.Add(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length);
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static async Task<(int Exit, string Output)> RedisCliAsync(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(Path.GetDirectoryName(RedisServer.Executable())!, "redis-cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("redis-cli did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output + await error);
    }
}
