using System.Collections.Concurrent;

namespace OtpClients.Guard;

/// <summary>
/// The default <see cref="IOtpSessionStore"/>: sessions in this process's memory, for one app instance. Bounded: expired
/// sessions are swept as it goes, and past <see cref="MaxSessions"/> live sessions a new one is refused (the start fails
/// closed) rather than an older one forgotten.
/// </summary>
internal sealed class InMemoryOtpSessionStore(TimeProvider timeProvider) : IOtpSessionStore
{
    /// <summary>The most live sessions kept.</summary>
    public const int MaxSessions = 100_000;

    private readonly ConcurrentDictionary<string, Entry> sessions = new(StringComparer.Ordinal);
    private int creations;

    /// <summary>Gets how many sessions are stored (for tests).</summary>
    internal int Count => sessions.Count;

    public Task CreateAsync(string verificationId, OtpChallenge challenge, DateTimeOffset expiresAt, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        ArgumentNullException.ThrowIfNull(challenge);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Increment(ref creations) % 1024 == 0 || sessions.Count >= MaxSessions)
        {
            var now = timeProvider.GetUtcNow();
            foreach (var (id, entry) in sessions)
            {
                if (entry.ExpiresAt <= now)
                {
                    sessions.TryRemove(new KeyValuePair<string, Entry>(id, entry));
                }
            }

            if (sessions.Count >= MaxSessions)
            {
                throw new InvalidOperationException($"The in-memory verification session store holds {MaxSessions} live sessions, its bound: use a shared store (OtpClients.Redis).");
            }
        }

        if (!sessions.TryAdd(verificationId, new Entry(challenge, expiresAt)))
        {
            throw new InvalidOperationException("A verification session with this id exists already.");
        }

        return Task.CompletedTask;
    }

    public Task<OtpSessionAttempt?> BeginAttemptAsync(string verificationId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!sessions.TryGetValue(verificationId, out var entry))
        {
            return Task.FromResult<OtpSessionAttempt?>(null);
        }

        if (entry.ExpiresAt <= now)
        {
            sessions.TryRemove(new KeyValuePair<string, Entry>(verificationId, entry));
            return Task.FromResult<OtpSessionAttempt?>(null);
        }

        return Task.FromResult<OtpSessionAttempt?>(new OtpSessionAttempt(entry.Challenge, Interlocked.Increment(ref entry.Attempts)));
    }

    public Task ReleaseAttemptAsync(string verificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        cancellationToken.ThrowIfCancellationRequested();
        if (sessions.TryGetValue(verificationId, out var entry))
        {
            int attempts;
            do
            {
                attempts = Volatile.Read(ref entry.Attempts);
            }
            while (attempts > 0 && Interlocked.CompareExchange(ref entry.Attempts, attempts - 1, attempts) != attempts);
        }

        return Task.CompletedTask;
    }

    public Task<bool> CompleteAsync(string verificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(sessions.TryRemove(verificationId, out _));
    }

    private sealed class Entry(OtpChallenge challenge, DateTimeOffset expiresAt)
    {
        public int Attempts;

        public OtpChallenge Challenge { get; } = challenge;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }
}
