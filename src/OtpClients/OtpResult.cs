using System.Diagnostics.CodeAnalysis;

namespace OtpClients;

/// <summary>The outcome of a provider-specific operation (a look-up, a settings change): a value on success, an error otherwise.</summary>
/// <typeparam name="T">The value.</typeparam>
public sealed class OtpResult<T>
    where T : notnull
{
    private OtpResult(T? value, OtpError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>Gets a value indicating whether the operation succeeded; <see langword="true"/> exactly when <see cref="Error"/> is <see langword="null"/>.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>Gets the value, on success.</summary>
    public T? Value { get; }

    /// <summary>Gets why the operation failed, on failure.</summary>
    public OtpError? Error { get; }

    /// <summary>Creates a successful result.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static OtpResult<T> Success(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, null);
    }

    /// <summary>Creates a failed result.</summary>
    /// <param name="error">Why the operation failed.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is <see langword="null"/>.</exception>
    public static OtpResult<T> Failure(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(default, error);
    }

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Success: {Value}" : $"Failure: {Error}";
}
