using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpClients.Emulator;

namespace OtpClients.Samples.Identity;

/// <summary>
/// A Razor Pages app with ASP.NET Core Identity on SQLite (EF Core) whose SMS codes come from OtpClients: register with a
/// phone, confirm it by SMS, turn on SMS two-factor, sign in with password plus code. The one OtpClients line in the
/// Identity set-up is <c>.AddOtpTokenProvider()</c>. With no AMM credentials (<c>Otp:Amm:AuthKey</c>) it starts the
/// emulator in process and prints where to read the codes; the database is created on first start.
/// </summary>
public static class IdentitySample
{
    /// <summary>Builds the app.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--ConnectionStrings:Identity=…</c>, <c>--Otp:Amm:…</c>).</param>
    /// <param name="emulatorOptions">The embedded emulator's settings (tests pass a clock); defaults when <see langword="null"/>.</param>
    /// <returns>The app, not started.</returns>
    public static async Task<WebApplication> BuildAsync(string[] args, OtpEmulatorOptions? emulatorOptions = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(IdentitySample).Assembly.GetName().Name, // where the Razor Pages are, also when a test hosts the app
            ContentRootPath = OtpClients.Samples.SampleContentRoot.Find(typeof(IdentitySample).Assembly), // the project's appsettings.json when there
        });

        var noCredentials = string.IsNullOrEmpty(builder.Configuration["Otp:Amm:AuthKey"]);
        var useEmulator = builder.Configuration.GetValue<bool>("UseOtpEmulator");
        if (noCredentials && !useEmulator && !builder.Environment.IsDevelopment())
        {
            // A misnamed secret in Production must not silently stop real SMS: refuse to start instead.
            throw new InvalidOperationException($"No AMM credentials (Otp:Amm:AuthKey) in the {builder.Environment.EnvironmentName} environment: set them, or set UseOtpEmulator=true to text through the emulator on purpose.");
        }

        if (noCredentials || useEmulator)
        {
            var emulator = await OtpEmulator.StartAsync(emulatorOptions);
            builder.Services.AddSingleton(_ => emulator); // created by a factory, so the container disposes it on shutdown
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Otp:Amm:BaseAddress"] = emulator.BaseAddress.ToString(),
                ["Otp:Amm:AuthKey"] = emulator.Credentials.AmmAuthKey,
                ["Otp:Amm:AuthSecret"] = emulator.Credentials.AmmAuthSecret,
                // Two providers, so that "Send a new code" goes through the other one, as it would in production.
                ["Otp:Failover:0"] = "Amm",
                ["Otp:Failover:1"] = "Ip1",
                ["Otp:Ip1:BaseAddress"] = emulator.BaseAddress.ToString(),
                ["Otp:Ip1:AccountId"] = emulator.Credentials.Ip1AccountId,
                ["Otp:Ip1:ApiKey"] = emulator.Credentials.Ip1ApiKey,
                ["Otp:Ip1:NumericOnly"] = "true",
                ["Otp:Ip1:MessageTemplate"] = "Your Contoso sign-in code is {code}",
            });
            Console.WriteLine($"No AMM credentials (Otp:Amm:AuthKey): texting through the OtpClients emulator at {emulator.BaseAddress}");
            Console.WriteLine($"Read the codes it sent at {emulator.BaseAddress}_emulator/messages");
        }

        var connectionString = builder.Configuration.GetConnectionString("Identity") ?? "Data Source=identity-sample.db";
        builder.Services.AddDbContext<SampleDbContext>(o => o.UseSqlite(connectionString));
        builder.Services.AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Password.RequireNonAlphanumeric = false;
            })
            .AddEntityFrameworkStores<SampleDbContext>()
            .AddDefaultTokenProviders()
            .AddOtpTokenProvider(); // the client IP for the guard's per-IP rules is the request's remote address by default
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
        });

        builder.Services.AddOtpClient(builder.Configuration.GetSection("Otp"));
        builder.Services.AddHealthChecks().AddOtpClient();
        builder.Services.AddRazorPages();

        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<SampleDbContext>().Database.EnsureCreatedAsync();
            var file = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
            Console.WriteLine($"Identity database: {file}{(created ? " (created)" : string.Empty)}");
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
        }

        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        // The providers' chain and circuit states in Development; elsewhere only the status, for a probe.
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = app.Environment.IsDevelopment() ? WriteHealthAsync : WriteStatusAsync });
        return app;
    }

    /// <summary>Writes the health report as JSON: the status and, per check, its status, description and data (no secrets).</summary>
    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    /// <summary>Writes only the overall health status: what a probe needs, nothing about the providers.</summary>
    private static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }));
    }

    /// <summary>Says what a failed send or check means to the user.</summary>
    /// <param name="error">The error.</param>
    /// <returns>A sentence for the page.</returns>
    public static string Describe(OtpError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code switch
        {
            OtpErrorCode.RateLimited when error.RetryAfter is { } wait => $"Too many codes were requested. Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.",
            OtpErrorCode.RateLimited => "Too many codes were requested. Try again later.",
            OtpErrorCode.Blocked => "Text messages to this number are not allowed.",
            OtpErrorCode.InvalidRequest or OtpErrorCode.InvalidPhoneNumber => "This phone number cannot receive a code: " + error.Message,
            OtpErrorCode.ProviderUnavailable or OtpErrorCode.Timeout or OtpErrorCode.NetworkError => "The SMS service is unavailable right now. Try again in a minute.",
            _ => $"The SMS service failed ({error.Code}). Try again in a minute.",
        };
    }

    /// <summary>Says why a code was refused.</summary>
    /// <param name="status">The status of the last check, if any.</param>
    /// <returns>A sentence for the page.</returns>
    public static string Describe(OtpVerificationStatus? status) => status switch
    {
        OtpVerificationStatus.Expired => "That code has expired. Send a new one.",
        OtpVerificationStatus.TooManyAttempts => "Too many attempts on that code. Send a new one.",
        OtpVerificationStatus.AlreadyUsed or OtpVerificationStatus.Cancelled or OtpVerificationStatus.NotFound => "No code is waiting. Send a new one.",
        _ => "That code is not right.",
    };
}
