namespace OtpClients.Http;

/// <summary>
/// A timeout for reading an answer's body, linked to the caller's token, without allocating per call: the
/// <see cref="CancellationTokenSource"/> (and its timer) is reused while it has not fired.
/// </summary>
internal readonly struct ReadTimeout
{
    [ThreadStatic]
    private static CancellationTokenSource? cached;

    private readonly CancellationTokenSource source;
    private readonly CancellationTokenRegistration registration;

    private ReadTimeout(CancellationTokenSource source, CancellationTokenRegistration registration)
    {
        this.source = source;
        this.registration = registration;
    }

    public CancellationToken Token => source.Token;

    public static ReadTimeout Rent(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var source = cached ?? new CancellationTokenSource();
        cached = null;
        source.CancelAfter(timeout);
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source)
            : default;
        return new ReadTimeout(source, registration);
    }

    public void Return()
    {
        registration.Dispose();
        if (source.TryReset())
        {
            cached = source;
        }
        else
        {
            source.Dispose();
        }
    }
}
