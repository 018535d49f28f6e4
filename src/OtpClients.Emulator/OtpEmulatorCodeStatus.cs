namespace OtpClients.Emulator;

/// <summary>Where a code the emulator issued stands.</summary>
public enum OtpEmulatorCodeState
{
    /// <summary>Issued and still usable.</summary>
    Pending,

    /// <summary>Checked with the right code.</summary>
    Verified,

    /// <summary>Its time to live is over (by the emulator's clock).</summary>
    Expired,

    /// <summary>Cancelled (AMM's <c>DELETE</c> command, or a newer code for the same recipient and app).</summary>
    Cancelled,

    /// <summary>Its attempts are spent (AMM's <c>max_retry</c>).</summary>
    Failed,
}

/// <summary>The state of the code of one message, as the emulated provider holds it.</summary>
/// <param name="State">Where the code stands.</param>
/// <param name="AttemptsUsed">How many checks with a wrong code it has had.</param>
/// <param name="MaxAttempts">How many wrong checks it allows, where the provider has such a limit (AMM); otherwise <see langword="null"/>.</param>
/// <param name="ExpiresAt">When it expires, by the emulator's clock.</param>
public sealed record OtpEmulatorCodeStatus(OtpEmulatorCodeState State, int AttemptsUsed, int? MaxAttempts, DateTimeOffset ExpiresAt);
