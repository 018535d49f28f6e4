namespace OtpClients.Failover;

/// <summary>
/// A client that can take a send plan from the verification sessions: which providers already sent for the session, so
/// that a resend goes to another one. The send guard passes the plan on to the failover client it guards.
/// </summary>
internal interface IRoutedOtpClient : IOtpClient
{
    /// <summary>Sends as <see cref="IOtpClient.SendAsync"/>, preferring the providers not in <paramref name="alreadySent"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="alreadySent">The providers that already sent a code for the session, the one that sent longest ago first.</param>
    /// <param name="cancellationToken">A token that cancels the operation.</param>
    /// <returns>The result; its challenge names the provider that sent.</returns>
    Task<OtpSendResult> SendAsync(OtpSendRequest request, IReadOnlyList<string> alreadySent, CancellationToken cancellationToken);
}
