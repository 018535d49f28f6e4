namespace OtpClients;

/// <summary>
/// The caller cancelled an OTP operation. It is an <see cref="OperationCanceledException"/> (catch either), and it says
/// whether the provider may already have the request, so a cancelled send is not followed blindly by another.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="MayHaveBeenAccepted"/> is <see langword="false"/> only when the request certainly did not reach the
/// provider: the token was cancelled before the call, during a connect, or while waiting between safe retries. It is
/// <see langword="true"/> once the request's body began to be written (or, for a request without a body, once it
/// was handed to the network) and for a cancellation while the answer was being read. Pure reads never set it.
/// </para>
/// <para>
/// When it is <see langword="true"/>, the user may receive a code (or a check may have used an attempt): do not send
/// again at once; let the user ask for a new code.
/// </para>
/// </remarks>
public sealed class OtpOperationCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public OtpOperationCanceledException()
        : base("The OTP operation was cancelled.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public OtpOperationCanceledException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that cancelled the call.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that cancelled the call.</param>
    public OtpOperationCanceledException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a cancelled operation.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that cancelled the call.</param>
    /// <param name="token">The token that was cancelled.</param>
    /// <param name="mayHaveBeenAccepted">Whether the provider may already have the request.</param>
    public OtpOperationCanceledException(string? message, Exception? innerException, CancellationToken token, bool mayHaveBeenAccepted)
        : base(message, innerException, token) =>
        MayHaveBeenAccepted = mayHaveBeenAccepted;

    /// <summary>
    /// Gets a value indicating whether the provider may have received and acted on the request before it was
    /// cancelled: a code may be on its way to the user. Never send again blindly when it is <see langword="true"/>.
    /// </summary>
    public bool MayHaveBeenAccepted { get; }
}
