using System.Globalization;

namespace OtpClients.Amm;

/// <summary>The history of one AMM code, as <c>search</c> returns it.</summary>
/// <remarks>
/// Dates come from AMM as Unix epoch milliseconds. <see cref="ToString"/> masks <see cref="To"/> and hides
/// <see cref="SandboxCode"/> and the codes of <see cref="Checks"/>.
/// </remarks>
public sealed class AmmVerification
{
    /// <summary>Gets the id of the request (<c>verify_id</c>).</summary>
    public required string VerifyId { get; init; }

    /// <summary>Gets the current status of the request as AMM wrote it (<c>verify_status</c>, e.g. <c>VERIFIED</c>).</summary>
    public string? Status { get; init; }

    /// <summary>Gets the recipient as AMM holds it (<c>to</c>: MSISDN digits).</summary>
    public string? To { get; init; }

    /// <summary>Gets the sender (<c>from</c>).</summary>
    public string? From { get; init; }

    /// <summary>Gets the id of the SMS (<c>id_sms</c>).</summary>
    public string? SmsId { get; init; }

    /// <summary>Gets the code (<c>codice</c>), which AMM returns only for codes sent with <c>sandbox=true</c>.</summary>
    public string? SandboxCode { get; init; }

    /// <summary>Gets when the SMS was submitted (<c>date_submit</c>).</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>Gets when the code stops being valid (<c>valid_until</c>).</summary>
    public DateTimeOffset? ValidUntil { get; init; }

    /// <summary>Gets the checks made against the code, oldest first as AMM lists them.</summary>
    public IReadOnlyList<AmmVerificationCheck> Checks { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"AmmVerification {{ VerifyId = {VerifyId}, Status = {Status}, To = {PhoneNumber.Mask(To is null ? null : "+" + To)}, From = {From}, SmsId = {SmsId}, SandboxCode = {(SandboxCode is null ? "null" : "***")}, SubmittedAt = {SubmittedAt?.ToString("O", CultureInfo.InvariantCulture)}, ValidUntil = {ValidUntil?.ToString("O", CultureInfo.InvariantCulture)}, Checks = {Checks.Count} }}";
}

/// <summary>One check made against an AMM code.</summary>
public sealed class AmmVerificationCheck
{
    /// <summary>Gets when the check was made (<c>date</c>).</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Gets the code that was tried (<c>verify_code</c>). Not printed by <see cref="ToString"/>.</summary>
    public string? Code { get; init; }

    /// <summary>Gets the outcome as AMM wrote it (<c>verify_status</c>).</summary>
    public string? Status { get; init; }

    /// <summary>Gets the IP address sent with the check (<c>ip_address</c>).</summary>
    public string? IpAddress { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"AmmVerificationCheck {{ Date = {Date?.ToString("O", CultureInfo.InvariantCulture)}, Code = ***, Status = {Status}, IpAddress = {IpAddress} }}";
}
