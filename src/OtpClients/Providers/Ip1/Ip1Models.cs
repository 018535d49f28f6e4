using System.Globalization;

namespace OtpClients.Ip1;

/// <summary>An iP1 SMS authentication (AuthenticationDTO).</summary>
/// <remarks><see cref="ToString"/> masks <see cref="Phone"/>.</remarks>
public sealed class Ip1Authentication
{
    /// <summary>Gets the authentication ID (<c>ID</c>); <see cref="OtpChallenge.Id"/> holds it as text.</summary>
    public required long Id { get; init; }

    /// <summary>Gets the recipient as iP1 holds it (<c>Phone</c>: MSISDN digits).</summary>
    public string? Phone { get; init; }

    /// <summary>Gets when the authentication was created (<c>Created</c>, UTC).</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>Gets a value indicating whether the authentication has expired (<c>HasExpired</c>).</summary>
    public bool HasExpired { get; init; }

    /// <summary>Gets when the authentication expires (<c>Expires</c>, UTC).</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Gets a value indicating whether the authentication was used (<c>IsUsed</c>).</summary>
    public bool IsUsed { get; init; }

    /// <summary>Gets when the authentication was used (<c>Used</c>, UTC).</summary>
    public DateTimeOffset? Used { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"Ip1Authentication {{ Id = {Id}, Phone = {PhoneNumber.Mask(Phone is null ? null : "+" + Phone)}, Created = {Format(Created)}, HasExpired = {HasExpired}, Expires = {Format(Expires)}, IsUsed = {IsUsed}, Used = {Format(Used)} }}";

    private static string? Format(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>
/// The iP1 account's defaults for new authentications; <see langword="null"/> means unset. These override iP1's system
/// defaults and are overridden by each send's own settings.
/// </summary>
public sealed class Ip1Settings
{
    /// <summary>Gets or sets the most active authentications per phone number (<c>ConcurrentLimit</c>); iP1's default is 5. At least 1.</summary>
    public int? ConcurrentLimit { get; set; }

    /// <summary>Gets or sets the sender (<c>From</c>); iP1's default is "iP1".</summary>
    public string? Sender { get; set; }

    /// <summary>Gets or sets the message with <c>{code}</c> (iP1 <c>MessageFormat</c> with <c>{0}</c>, converted both ways).</summary>
    public string? MessageTemplate { get; set; }

    /// <summary>Gets or sets the code length (<c>Length</c>), 3..25; iP1's default is 5.</summary>
    public int? CodeLength { get; set; }

    /// <summary>Gets or sets the time to live (<c>ExpirationTime</c>), whole seconds, 1 s..24 h; iP1's default is 20 minutes.</summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>Gets or sets whether codes are digits only (<c>NumericOnly</c>); iP1's default is <see langword="false"/>.</summary>
    public bool? NumericOnly { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"Ip1Settings {{ ConcurrentLimit = {ConcurrentLimit}, Sender = {Sender}, MessageTemplate = {MessageTemplate}, CodeLength = {CodeLength}, TimeToLive = {TimeToLive}, NumericOnly = {NumericOnly} }}";
}
