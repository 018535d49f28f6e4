namespace OtpClients;

/// <summary>The settings every provider shares: where it is, how long to wait, how often to retry what is safe to retry.</summary>
/// <remarks>
/// Options are validated when a client is created and, through <c>AddOtpClient</c>, at application start;
/// every message names the setting. Instances are not printed with their secrets: <see cref="object.ToString"/>
/// returns the type name only.
/// </remarks>
public abstract class OtpProviderOptions
{
    /// <summary>The default of <see cref="AttemptTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default of <see cref="TotalTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="MaxRetryAttempts"/>: 2.</summary>
    public const int DefaultMaxRetryAttempts = 2;

    /// <summary>The default of <see cref="MaxResponseBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxResponseBytes = 1024 * 1024;

    /// <summary>Initializes the shared settings.</summary>
    /// <param name="defaultBaseAddress">The provider's public origin, the default of <see cref="BaseAddress"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="defaultBaseAddress"/> is <see langword="null"/>.</exception>
    protected OtpProviderOptions(Uri defaultBaseAddress)
    {
        ArgumentNullException.ThrowIfNull(defaultBaseAddress);
        BaseAddress = defaultBaseAddress;
    }

    /// <summary>
    /// Gets or sets the provider's origin; the SDK appends the documented paths. Defaults to the provider's public
    /// origin. Must be <c>https</c>, except a loopback address (an emulator) or when <see cref="AllowInsecureHttp"/> is set.
    /// </summary>
    public Uri BaseAddress { get; set; }

    /// <summary>Gets or sets how long one HTTP attempt may take. Defaults to 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = DefaultAttemptTimeout;

    /// <summary>Gets or sets how long an operation may take, retries included. Defaults to 30 seconds.</summary>
    public TimeSpan TotalTimeout { get; set; } = DefaultTotalTimeout;

    /// <summary>
    /// Gets or sets how many times a failed attempt is retried, only where a retry cannot send or check twice: a
    /// connection that failed before the request was written, 429, 503, and any failure of a read-only request.
    /// Defaults to 2. Range 0..10.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = DefaultMaxRetryAttempts;

    /// <summary>
    /// Gets or sets the delay before the first retry; later retries back off exponentially, with jitter. A provider's
    /// <c>Retry-After</c> takes precedence. Defaults to 200 ms.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets the circuit breaker settings: after repeated failures, calls fail fast with <see cref="OtpErrorCode.ProviderUnavailable"/>.</summary>
    public OtpCircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether a non-loopback <c>http</c> <see cref="BaseAddress"/> is allowed. Credentials then
    /// travel in clear text. Defaults to <see langword="false"/>.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Gets or sets the largest provider answer read, in bytes; a larger answer is not read whole and maps to
    /// <see cref="OtpErrorCode.UnexpectedResponse"/>. Defaults to 1 MiB. Range 1 KiB..64 MiB.
    /// </summary>
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>Gets the name of the provider's settings section, used in validation messages (<c>"{SectionName}.{Setting}"</c>).</summary>
    protected abstract string SectionName { get; }

    /// <summary>Validates the options and returns one message per problem, each naming the setting.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var section = SectionName;
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            errors.Add($"{section}.{nameof(BaseAddress)} must be an absolute URI.");
        }
        else if (BaseAddress.Scheme != Uri.UriSchemeHttps && !(BaseAddress.Scheme == Uri.UriSchemeHttp && (BaseAddress.IsLoopback || AllowInsecureHttp)))
        {
            errors.Add($"{section}.{nameof(BaseAddress)} must use https (http is allowed only for a loopback address or with {section}.{nameof(AllowInsecureHttp)} set).");
        }
        else if (!string.IsNullOrEmpty(BaseAddress.UserInfo) || !string.IsNullOrEmpty(BaseAddress.Query) || !string.IsNullOrEmpty(BaseAddress.Fragment))
        {
            errors.Add($"{section}.{nameof(BaseAddress)} must not carry user info, a query or a fragment.");
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}.{nameof(AttemptTimeout)} must be positive.");
        }

        if (TotalTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}.{nameof(TotalTimeout)} must be positive.");
        }
        else if (AttemptTimeout > TotalTimeout)
        {
            errors.Add($"{section}.{nameof(AttemptTimeout)} must not exceed {section}.{nameof(TotalTimeout)}.");
        }

        if (MaxRetryAttempts is < 0 or > 10)
        {
            errors.Add($"{section}.{nameof(MaxRetryAttempts)} must be between 0 and 10.");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{section}.{nameof(RetryBaseDelay)} must be between 0 and 1 minute.");
        }

        CircuitBreaker.Validate(section + "." + nameof(CircuitBreaker), errors);

        if (MaxResponseBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add($"{section}.{nameof(MaxResponseBytes)} must be between 1024 and 67108864.");
        }

        ValidateProvider(errors);
        return errors;
    }

    /// <summary>Adds the provider's own problems (its credentials, its limits), each naming the setting.</summary>
    /// <param name="errors">The list to add to.</param>
    protected abstract void ValidateProvider(ICollection<string> errors);

    /// <summary>Throws when the options are invalid.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    internal void EnsureValid(string paramName)
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), paramName);
        }
    }

    /// <summary>Joins <see cref="BaseAddress"/> and a documented absolute path.</summary>
    internal Uri Resolve(string path)
    {
        var origin = BaseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(origin + "/" + path.TrimStart('/'), UriKind.Absolute);
    }
}
