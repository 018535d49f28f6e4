using System.Diagnostics.CodeAnalysis;

namespace OtpClients;

/// <summary>The outcome of cancelling a challenge, for providers that offer it.</summary>
public sealed class OtpCancelResult
{
    private static readonly OtpCancelResult Succeeded = new(null);

    private OtpCancelResult(OtpError? error) => Error = error;

    /// <summary>Gets a value indicating whether the provider cancelled the challenge; its code can no longer be verified.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>Gets why the cancel failed, on failure.</summary>
    public OtpError? Error { get; }

    /// <summary>Creates a successful result.</summary>
    /// <returns>The result.</returns>
    public static OtpCancelResult Success() => Succeeded;

    /// <summary>Creates a failed result.</summary>
    /// <param name="error">Why the cancel failed.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    public static OtpCancelResult Failure(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new OtpCancelResult(error);
    }

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? "Success" : $"Failure: {Error}";
}
