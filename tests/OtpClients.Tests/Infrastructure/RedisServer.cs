using System.Diagnostics;
using System.Net.Sockets;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> (the Debian package; <c>.ci/run</c> installs it) on a free loopback port, in its own
/// temporary directory, with an append-only file written on every command: killed with SIGKILL and started again on
/// the same port, it comes back with everything it had acknowledged. No mock of Redis anywhere.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string directory;
    private readonly string[] extraArguments;
    private Process? process;

    private RedisServer(int port, string directory, string[] extraArguments)
    {
        Port = port;
        this.directory = directory;
        this.extraArguments = extraArguments;
    }

    /// <summary>Gets the loopback port.</summary>
    public int Port { get; }

    /// <summary>Gets a value indicating whether the server process is running.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <summary>Gets the StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Finds <c>redis-server</c> on the PATH, or fails the test with how to install it.</summary>
    public static string Executable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Append("/usr/bin").Append("/usr/sbin"))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("redis-server is not installed: apt-get install -y redis-server (.ci/run does it).");
        return null!;
    }

    /// <summary>Starts a server on a free loopback port and waits until it answers PING.</summary>
    /// <param name="extraArguments">More <c>redis-server</c> arguments, such as <c>--cluster-enabled yes</c>.</param>
    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        var server = new RedisServer(ProviderStandIn.FreeLoopbackPort(), Directory.CreateTempSubdirectory("otp-redis-").FullName, extraArguments);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Kills the server at once (SIGKILL): no shutdown save; only the append-only file remains.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>Starts the server again on the same port and directory.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
            "--save", string.Empty, "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--protected-mode", "yes",
        }.Concat(extraArguments))
        {
            info.ArgumentList.Add(argument);
        }

        process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} at start.");
            }

            if (await PingsAsync())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"redis-server did not answer on port {Port} within 15 s.");
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
