using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// The faults WireMock.Net cannot express (its <c>FaultType</c> answers still read as an HTTP answer, and its delays
/// hold the whole answer): raw loopback listeners, one per fault, sharing the accept loop and the request reader.
/// </summary>
public abstract class RawLoopbackServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Task accepting;
    private int requests;

    protected RawLoopbackServer()
    {
        listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>Gets how many requests were read whole.</summary>
    public int RequestCount => Volatile.Read(ref requests);

    private readonly List<byte> received = [];

    /// <summary>Gets every byte received so far, on every connection, as Latin-1 text (heads and bodies).</summary>
    public string Received
    {
        get
        {
            lock (received)
            {
                return Encoding.Latin1.GetString([.. received]);
            }
        }
    }

    private void Record(ReadOnlySpan<byte> bytes)
    {
        lock (received)
        {
            received.AddRange(bytes);
        }
    }

    protected CancellationTokenSource Stopping { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Stopping.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Answers the <paramref name="index"/>-th request (0-based) on the raw stream; false closes the connection.</summary>
    protected abstract Task<bool> AnswerAsync(NetworkStream stream, int index);

    protected static byte[] Head(int contentLength) =>
        Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n");

    private async Task AcceptAsync()
    {
        while (!Stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(Stopping.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            while (await ReadRequestAsync(stream))
            {
                if (!await AnswerAsync(stream, Interlocked.Increment(ref requests) - 1))
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client gave up, or the server is stopping.
        }
    }

    /// <summary>Reads one request (headers, then Content-Length bytes); false when the connection closed.</summary>
    private async Task<bool> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, Stopping.Token) == 0)
            {
                return false;
            }

            head.Add(one[0]);
            Record(one);
        }

        var length = 0;
        foreach (var line in Encoding.ASCII.GetString([.. head]).Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var body = new byte[length];
        for (var read = 0; read < length;)
        {
            var count = await stream.ReadAsync(body.AsMemory(read), Stopping.Token);
            if (count == 0)
            {
                return false;
            }

            Record(body.AsSpan(read, count));
            read += count;
        }

        return true;
    }
}

/// <summary>
/// An answer whose headers (200, a Content-Length) and first body byte arrive at once, then the rest of the body
/// stalls for <c>stall</c>. The first <c>stalls</c> requests stall; later ones get the whole body at once.
/// </summary>
public sealed class StalledBodyServer(string body, TimeSpan stall, int stalls = 1) : RawLoopbackServer
{
    private readonly byte[] bytes = Encoding.UTF8.GetBytes(body);

    protected override async Task<bool> AnswerAsync(NetworkStream stream, int index)
    {
        await stream.WriteAsync(Head(bytes.Length), Stopping.Token);
        if (index < stalls)
        {
            await stream.WriteAsync(bytes.AsMemory(0, 1), Stopping.Token);
            await stream.FlushAsync(Stopping.Token);
            await Task.Delay(stall, Stopping.Token);
            await stream.WriteAsync(bytes.AsMemory(1), Stopping.Token);
        }
        else
        {
            await stream.WriteAsync(bytes, Stopping.Token);
        }

        return true;
    }
}

/// <summary>
/// A connection reset once the whole request was read, with no answer: the provider may have processed it. The
/// first <c>drops</c> requests are dropped; later ones get <c>body</c> with 200.
/// </summary>
public sealed class DroppedConnectionServer(int drops = int.MaxValue, string body = "{}") : RawLoopbackServer
{
    private readonly byte[] bytes = Encoding.UTF8.GetBytes(body);

    protected override async Task<bool> AnswerAsync(NetworkStream stream, int index)
    {
        if (index < drops)
        {
            return false;
        }

        await stream.WriteAsync(Head(bytes.Length), Stopping.Token);
        await stream.WriteAsync(bytes, Stopping.Token);
        return true;
    }
}

/// <summary>Reads whole requests and never answers; <see cref="RequestRead"/> completes once the first request was read whole.</summary>
public sealed class SilentServer : RawLoopbackServer
{
    private readonly TaskCompletionSource requestRead = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets a task that completes when the first request has been read whole.</summary>
    public Task RequestRead => requestRead.Task;

    protected override async Task<bool> AnswerAsync(NetworkStream stream, int index)
    {
        requestRead.TrySetResult();
        await Task.Delay(Timeout.Infinite, Stopping.Token);
        return false;
    }
}

/// <summary>Answers every request with one fixed status and JSON body; <see cref="RawLoopbackServer.Received"/> keeps what came.</summary>
public sealed class FixedAnswerServer(int status, string body) : RawLoopbackServer
{
    private readonly byte[] bytes = Encoding.UTF8.GetBytes(body);

    protected override async Task<bool> AnswerAsync(NetworkStream stream, int index)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n"), Stopping.Token);
        await stream.WriteAsync(bytes, Stopping.Token);
        return true;
    }
}
