namespace OtpClients.Emulator;

/// <summary>
/// A fault to inject into the next requests of a provider or path: an HTTP status (with a body), a delay, or an aborted
/// connection. Without <see cref="AfterProcessing"/> the request is not processed (nothing is sent or checked);
/// with it, the request is processed and then the answer is replaced, delayed or dropped — what a client sees when
/// a provider acted but the answer was lost.
/// </summary>
public sealed record OtpEmulatorFault
{
    /// <summary>Gets the provider whose requests it hits (<c>"AMM"</c>, <c>"iP1"</c>, <c>"99digital"</c>); <see langword="null"/> for all.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the path prefix whose requests it hits (<c>/sms/v2/verify/send</c>); <see langword="null"/> for all.</summary>
    public string? Path { get; init; }

    /// <summary>Gets the status to answer instead; <see langword="null"/> to keep the normal answer (with a delay or abort).</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the body to answer with <see cref="StatusCode"/>. Defaults to none.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the content type of <see cref="Body"/>. Defaults to <c>application/json</c>.</summary>
    public string ContentType { get; init; } = "application/json";

    /// <summary>Gets how long to wait before answering.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Gets a value indicating whether the connection is dropped instead of answered.</summary>
    public bool Abort { get; init; }

    /// <summary>Gets how many matching requests it hits; <see langword="null"/> for every one until cleared. Defaults to 1.</summary>
    public int? Count { get; init; } = 1;

    /// <summary>Gets the chance, 0..1, that a matching request is hit. Defaults to 1.</summary>
    public double Probability { get; init; } = 1;

    /// <summary>Gets a value indicating whether the request is processed before the fault applies. Defaults to <see langword="false"/>.</summary>
    public bool AfterProcessing { get; init; }
}

/// <summary>The faults waiting to hit requests; set in process or over <c>POST /_emulator/faults</c>.</summary>
public sealed class OtpEmulatorFaults
{
    private readonly Lock gate = new();
    private readonly List<(OtpEmulatorFault Fault, int? Left)> faults = [];
    private readonly Random random;
    private long injected;

    internal OtpEmulatorFaults(int? seed) => random = seed is { } s ? new Random(s) : new Random();

    /// <summary>Gets how many requests a fault has hit so far.</summary>
    public long Injected => Interlocked.Read(ref injected);

    /// <summary>Gets the faults still waiting.</summary>
    public IReadOnlyList<OtpEmulatorFault> Pending
    {
        get
        {
            lock (gate)
            {
                return [.. faults.Select(f => f.Fault)];
            }
        }
    }

    /// <summary>Adds a fault.</summary>
    /// <param name="fault">The fault.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Its count or probability is out of range.</exception>
    public void Add(OtpEmulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Count ?? 1, 1, nameof(fault));
        if (fault.Probability is < 0 or > 1 || double.IsNaN(fault.Probability))
        {
            throw new ArgumentOutOfRangeException(nameof(fault), "Probability must be between 0 and 1.");
        }

        lock (gate)
        {
            faults.Add((fault, fault.Count));
        }
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (gate)
        {
            faults.Clear();
            injected = 0;
        }
    }

    /// <summary>Removes the faults aimed at one provider (not those aimed at every provider).</summary>
    /// <param name="provider">The provider's name (<c>AMM</c>, <c>iP1</c>, <c>99digital</c>; case-insensitive).</param>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is <see langword="null"/>.</exception>
    public void Clear(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (gate)
        {
            faults.RemoveAll(f => string.Equals(f.Fault.Provider, provider, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Takes the first fault that hits a request of this provider and path, if any.</summary>
    internal OtpEmulatorFault? Take(string provider, string path)
    {
        lock (gate)
        {
            for (var i = 0; i < faults.Count; i++)
            {
                var (fault, left) = faults[i];
                if ((fault.Provider is null || string.Equals(fault.Provider, provider, StringComparison.OrdinalIgnoreCase))
                    && (fault.Path is null || path.StartsWith(fault.Path, StringComparison.OrdinalIgnoreCase)))
                {
                    if (fault.Probability < 1 && random.NextDouble() >= fault.Probability)
                    {
                        continue;
                    }

                    if (left is { } n)
                    {
                        if (n <= 1)
                        {
                            faults.RemoveAt(i);
                        }
                        else
                        {
                            faults[i] = (fault, n - 1);
                        }
                    }

                    injected++;
                    return fault;
                }
            }

            return null;
        }
    }
}
