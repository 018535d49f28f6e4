using System.Security.Cryptography;

namespace OtpClients.Testing;

/// <summary>
/// An in-memory <see cref="IOtpClient"/> for an app's unit tests: it "sends" codes into <see cref="Sends"/>, checks them
/// like a provider would (wrong, expired by its <see cref="TimeProvider"/>, used once, too many attempts) and can be
/// scripted to fail. It validates phone numbers and templates as the real clients do.
/// </summary>
/// <example>
/// <code>
/// var otp = new FakeOtpClient();
/// var sent = await otp.SendAsync(new OtpSendRequest("+393481234567"));
/// var result = await otp.VerifyAsync(new OtpVerifyRequest(sent.Challenge!, otp.LastCodeFor("+393481234567")!));
/// // result.IsVerified == true
/// </code>
/// </example>
/// <remarks>Thread-safe.</remarks>
public sealed class FakeOtpClient : IOtpClient
{
    private readonly Lock gate = new();
    private readonly List<FakeOtpSend> sends = [];
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Queue<OtpSendResult> scriptedSends = new();
    private readonly Queue<OtpVerifyResult> scriptedVerifies = new();
    private long nextId;

    /// <summary>Creates a fake client.</summary>
    /// <param name="providerName">The provider name it reports and puts in its challenges. Defaults to <c>"fake"</c>.</param>
    /// <param name="timeProvider">The clock for expiry. Defaults to <see cref="TimeProvider.System"/>.</param>
    public FakeOtpClient(string providerName = "fake", TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ProviderName = providerName;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string ProviderName { get; }

    /// <summary>Gets the clock that expires codes.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets or sets the code generator. Defaults to random digits of the requested length (6 when unset).</summary>
    public Func<OtpSendRequest, string> CodeGenerator { get; set; } = static request => RandomNumberGenerator.GetString("0123456789", request.CodeLength ?? 6);

    /// <summary>Gets or sets the time to live of codes sent without one. Defaults to 10 minutes.</summary>
    public TimeSpan DefaultTimeToLive { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how many wrong codes a challenge takes before it answers <see cref="OtpVerificationStatus.TooManyAttempts"/>. Defaults to 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Gets every successful send, oldest first.</summary>
    public IReadOnlyList<FakeOtpSend> Sends
    {
        get
        {
            lock (gate)
            {
                return [.. sends];
            }
        }
    }

    /// <summary>Gets the code of the last send to a phone number.</summary>
    /// <param name="phoneNumber">The number in any form <see cref="PhoneNumber"/> parses.</param>
    /// <returns>The code, or <see langword="null"/> when nothing was sent to it.</returns>
    public string? LastCodeFor(string phoneNumber)
    {
        ArgumentNullException.ThrowIfNull(phoneNumber);
        var e164 = PhoneNumber.TryParse(phoneNumber, out var parsed) ? parsed.E164 : phoneNumber;
        lock (gate)
        {
            return sends.LastOrDefault(s => s.Challenge.PhoneNumber == e164)?.Code;
        }
    }

    /// <summary>Makes the next send fail with an error (scripted results are used in order, before any real send).</summary>
    /// <param name="error">The error.</param>
    public void FailNextSend(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (gate)
        {
            scriptedSends.Enqueue(OtpSendResult.Failure(error));
        }
    }

    /// <summary>Makes the next verify answer a given result (scripted results are used in order, before any real check).</summary>
    /// <param name="result">The result.</param>
    public void SetNextVerifyResult(OtpVerifyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (gate)
        {
            scriptedVerifies.Enqueue(result);
        }
    }

    /// <summary>Forgets every send, code and scripted result.</summary>
    public void Reset()
    {
        lock (gate)
        {
            sends.Clear();
            entries.Clear();
            scriptedSends.Clear();
            scriptedVerifies.Clear();
        }
    }

    /// <inheritdoc />
    public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (scriptedSends.TryDequeue(out var scripted))
            {
                return Task.FromResult(scripted);
            }
        }

        if (!PhoneNumber.TryParse(request.PhoneNumber, out var phone, out var phoneError))
        {
            return Task.FromResult(OtpSendResult.Failure(new OtpError(OtpErrorCode.InvalidPhoneNumber, $"{nameof(OtpSendRequest.PhoneNumber)}: {phoneError}")));
        }

        if (request.MessageTemplate is not null && !MessageTemplate.TryParse(request.MessageTemplate, out _, out var templateError))
        {
            return Task.FromResult(OtpSendResult.Failure(new OtpError(OtpErrorCode.InvalidMessage, $"{nameof(OtpSendRequest.MessageTemplate)}: {templateError}")));
        }

        if (request.CodeLength is < 1 or > 32 || request.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            return Task.FromResult(OtpSendResult.Failure(new OtpError(OtpErrorCode.InvalidRequest, "CodeLength must be 1..32 and TimeToLive positive.")));
        }

        var code = CodeGenerator(request);
        var now = TimeProvider.GetUtcNow();
        lock (gate)
        {
            var id = "fake-" + (++nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var challenge = new OtpChallenge(ProviderName, id, phone.E164) { ExpiresAt = now + (request.TimeToLive ?? DefaultTimeToLive) };
            entries[id] = new Entry(code, challenge.ExpiresAt.Value);
            sends.Add(new FakeOtpSend(request, challenge, code, now));
            return Task.FromResult(OtpSendResult.Success(challenge));
        }
    }

    /// <inheritdoc />
    public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Challenge, "request.Challenge");
        ArgumentNullException.ThrowIfNull(request.Code, "request.Code");
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (scriptedVerifies.TryDequeue(out var scripted))
            {
                return Task.FromResult(scripted);
            }

            if (!string.Equals(request.Challenge.ProviderName, ProviderName, StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult(OtpVerifyResult.Failure(new OtpError(OtpErrorCode.InvalidRequest, $"Challenge.ProviderName is not {ProviderName}.")));
            }

            if (!entries.TryGetValue(request.Challenge.Id, out var entry))
            {
                return Task.FromResult(OtpVerifyResult.Rejected(OtpVerificationStatus.NotFound));
            }

            var status = entry switch
            {
                { Used: true } => OtpVerificationStatus.AlreadyUsed,
                { Attempts: var a } when a >= MaxAttempts => OtpVerificationStatus.TooManyAttempts,
                _ when TimeProvider.GetUtcNow() >= entry.ExpiresAt => OtpVerificationStatus.Expired,
                _ when string.Equals(entry.Code, request.Code.Trim(), StringComparison.Ordinal) => OtpVerificationStatus.Verified,
                _ => OtpVerificationStatus.InvalidCode,
            };
            if (status == OtpVerificationStatus.Verified)
            {
                entry.Used = true;
                return Task.FromResult(OtpVerifyResult.Verified());
            }

            if (status == OtpVerificationStatus.InvalidCode)
            {
                entry.Attempts++;
            }

            return Task.FromResult(OtpVerifyResult.Rejected(status));
        }
    }

    private sealed class Entry(string code, DateTimeOffset expiresAt)
    {
        public string Code { get; } = code;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public int Attempts { get; set; }

        public bool Used { get; set; }
    }
}

/// <summary>One send the <see cref="FakeOtpClient"/> accepted.</summary>
/// <param name="Request">The request.</param>
/// <param name="Challenge">The challenge it returned.</param>
/// <param name="Code">The code it "texted".</param>
/// <param name="SentAt">When, by its clock.</param>
public sealed record FakeOtpSend(OtpSendRequest Request, OtpChallenge Challenge, string Code, DateTimeOffset SentAt)
{
    /// <inheritdoc />
    public override string ToString() => $"FakeOtpSend {{ Challenge = {Challenge}, Code = ***, SentAt = {SentAt:O} }}";
}
