namespace OtpClients.Tests.Infrastructure;

/// <summary>Counts the attempts that pass through it (added inside the resilience handler, so each retry counts).</summary>
public sealed class CountingHandler : DelegatingHandler
{
    private int count;

    public int Count => Volatile.Read(ref count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref count);
        return base.SendAsync(request, cancellationToken);
    }
}
