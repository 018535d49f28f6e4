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

    public Task CreateAsync(string verificationId, OtpSessionState session, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        ArgumentNullException.ThrowIfNull(session);
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Increment(ref creations) % 1024 == 0 || sessions.Count >= MaxSessions)
        {
            var now = timeProvider.GetUtcNow();
            foreach (var (id, entry) in sessions)
            {
                if (entry.State.ExpiresAt <= now)
                {
                    sessions.TryRemove(new KeyValuePair<string, Entry>(id, entry));
                }
            }

            if (sessions.Count >= MaxSessions)
            {
                throw new InvalidOperationException($"The in-memory verification session store holds {MaxSessions} live sessions, its bound: use a shared store (OtpClients.Redis).");
            }
        }

        if (!sessions.TryAdd(verificationId, new Entry(session)))
        {
            throw new InvalidOperationException("A verification session with this id exists already.");
        }

        return Task.CompletedTask;
    }

    public Task<OtpSessionState?> GetAsync(string verificationId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Live(verificationId, now, out var entry) ? entry.State : null);
    }

    public Task<OtpSessionState?> UpdateAsync(string verificationId, DateTimeOffset now, Func<OtpSessionState, OtpSessionState> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        ArgumentNullException.ThrowIfNull(update);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Live(verificationId, now, out var entry))
        {
            return Task.FromResult<OtpSessionState?>(null);
        }

        lock (entry)
        {
            if (entry.Removed)
            {
                return Task.FromResult<OtpSessionState?>(null);
            }

            entry.State = update(entry.State);
            return Task.FromResult<OtpSessionState?>(entry.State);
        }
    }

    public Task<bool> CompleteAsync(string verificationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verificationId);
        cancellationToken.ThrowIfCancellationRequested();
        if (!sessions.TryRemove(verificationId, out var entry))
        {
            return Task.FromResult(false);
        }

        lock (entry)
        {
            entry.Removed = true;
        }

        return Task.FromResult(true);
    }

    private bool Live(string verificationId, DateTimeOffset now, out Entry entry)
    {
        if (!sessions.TryGetValue(verificationId, out entry!))
        {
            return false;
        }

        if (entry.State.ExpiresAt <= now)
        {
            sessions.TryRemove(new KeyValuePair<string, Entry>(verificationId, entry));
            return false;
        }

        return true;
    }

    private sealed class Entry(OtpSessionState state)
    {
        public OtpSessionState State { get; set; } = state;

        public bool Removed { get; set; }
    }
}
