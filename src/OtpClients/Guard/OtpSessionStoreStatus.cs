namespace OtpClients.Guard;

/// <summary>
/// Whether the session store is known to be down, shared by every registration's sessions over the same store: set by
/// the first operation that fails, cleared by the next that succeeds. While it is set, a session start first asks the
/// store (one read of an id never issued) and sends nothing when that read fails, so that no code goes out whose session
/// cannot be kept.
/// </summary>
internal sealed class OtpSessionStoreStatus
{
    private int down;

    /// <summary>Gets a value indicating whether the last operation on the store failed.</summary>
    public bool IsKnownDown => Volatile.Read(ref down) == 1;

    /// <summary>Records a failed operation.</summary>
    public void Failed() => Volatile.Write(ref down, 1);

    /// <summary>Records an operation that succeeded.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref down) == 1)
        {
            Volatile.Write(ref down, 0);
        }
    }
}
