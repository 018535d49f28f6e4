using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using OtpClients.Emulator;
using OtpClients.Identity;

namespace OtpClients.Tests.Identity;

/// <summary>The Identity database of the tests: the stock Entity Framework schema on an in-memory SQLite connection.</summary>
public sealed class IdentityTestDb(DbContextOptions<IdentityTestDb> options) : IdentityDbContext<IdentityUser>(options);

/// <summary>
/// A stock ASP.NET Core Identity set-up (EF Core on SQLite, UserManager, SignInManager with the Identity cookies) whose
/// phone provider is OtpClients' token provider over the emulator's AMM. Sign-ins run on <see cref="DefaultHttpContext"/>s
/// that carry the cookies of the previous step, as a browser would.
/// </summary>
internal sealed class IdentityApp : IAsyncDisposable
{
    public const string Password = "Pass-word-123";

    private readonly SqliteConnection connection;
    private readonly ServiceProvider provider;
    private string cookies = string.Empty;

    public IdentityApp(OtpEmulator emulator, Action<OtpClientBuilder>? otp = null, Action<OtpTokenProviderOptions>? tokens = null, string? registration = null)
    {
        connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var services = new ServiceCollection();
        Logs = new FakeLogCollector();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs)));
        services.AddDataProtection();
        services.AddHttpContextAccessor();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddDbContext<IdentityTestDb>(o => o.UseSqlite(connection));
        services.AddIdentityCore<IdentityUser>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 3;
                o.Password.RequireNonAlphanumeric = false;
            })
            .AddEntityFrameworkStores<IdentityTestDb>()
            .AddSignInManager()
            .AddOtpTokenProvider(configure: tokens)
            .AddDefaultTokenProviders(); // after ours on purpose: ours still wins the "Phone" name
        if (registration is null)
        {
            services.AddOtpClient(otp ?? (o => o.UseAmm(emulator.ConfigureAmm)));
        }
        else
        {
            services.AddOtpClient(registration, otp ?? (o => o.UseAmm(emulator.ConfigureAmm)));
        }
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var scope = provider.CreateScope();
        scope.ServiceProvider.GetRequiredService<IdentityTestDb>().Database.EnsureCreated();
    }

    public FakeLogCollector Logs { get; }

    /// <summary>Gets or sets the remote address of the next requests (the browser's IP). Defaults to 198.51.100.7.</summary>
    public System.Net.IPAddress ClientIp { get; set; } = System.Net.IPAddress.Parse("198.51.100.7");

    public IServiceProvider Services => provider;

    /// <summary>Creates a user with a password and, when given, a confirmed phone number with SMS two-factor on.</summary>
    public async Task<string> CreateUserAsync(string name, string? confirmedPhone = null, bool twoFactor = true)
    {
        using var scope = provider.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser(name) { PhoneNumber = confirmedPhone, PhoneNumberConfirmed = confirmedPhone is not null };
        var created = await users.CreateAsync(user, Password);
        Assert.That(created.Succeeded, Is.True, string.Join(", ", created.Errors.Select(e => e.Description)));
        if (twoFactor)
        {
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        return user.Id;
    }

    /// <summary>Runs <paramref name="action"/> in a new scope (one request), with a context carrying the cookies so far; keeps the cookies it sets.</summary>
    public async Task<T> RequestAsync<T>(Func<UserManager<IdentityUser>, SignInManager<IdentityUser>, OtpTokenActivity, Task<T>> action)
    {
        using var scope = provider.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("localhost");
        context.Request.Headers.Cookie = cookies;
        context.Connection.RemoteIpAddress = ClientIp;
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = context;
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<IdentityUser>>();
        signIn.Context = context;
        var result = await action(scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>(), signIn, scope.ServiceProvider.GetRequiredService<OtpTokenActivity>());
        accessor.HttpContext = null;
        foreach (var set in context.Response.Headers.SetCookie)
        {
            var pair = set!.Split(';')[0];
            var name = pair.Split('=')[0];
            var kept = cookies.Split("; ", StringSplitOptions.RemoveEmptyEntries).Where(c => c.Split('=')[0] != name);
            cookies = string.Join("; ", pair.EndsWith('=') ? kept : kept.Append(pair));
        }

        return result;
    }

    public Task<T> WithUserAsync<T>(string userId, Func<UserManager<IdentityUser>, IdentityUser, OtpTokenActivity, Task<T>> action) =>
        RequestAsync(async (users, _, activity) => await action(users, (await users.FindByIdAsync(userId))!, activity));

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await connection.DisposeAsync();
    }
}
