using System.Diagnostics;
using System.Text.RegularExpressions;
using OtpClients.BrowserTests.Infrastructure;
using OtpClients.Emulator;

namespace OtpClients.BrowserTests.IdentityUI;

/// <summary>
/// The app of <c>dotnet new webapp --auth Individual</c> with OtpClients.Identity.UI added (tests/IdentityTemplateApp),
/// run as its user runs it: its own build output, started with <c>dotnet</c> in its project folder, in Development, on a
/// free loopback port, with a copy of the database the template made. The OTP provider is AMM on an emulator in this
/// process, whose outbox holds the codes.
/// </summary>
internal sealed partial class TemplateAppSite : IAsyncDisposable
{
    private readonly Process process;
    private readonly string databasePath;
    private readonly List<string> output;

    private TemplateAppSite(Process process, string databasePath, List<string> output, OtpEmulator emulator, Uri baseAddress)
    {
        this.process = process;
        this.databasePath = databasePath;
        this.output = output;
        Emulator = emulator;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public OtpEmulator Emulator { get; }

    /// <summary>Gets what the app printed so far (for a failing test's message).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return string.Join(Environment.NewLine, output);
            }
        }
    }

    /// <summary>Starts the app; <paramref name="useAddIdentity"/> picks <c>AddIdentity</c> + <c>AddDefaultUI</c> over the template's <c>AddDefaultIdentity</c>.</summary>
    /// <param name="useAddIdentity">Whether to use <c>AddIdentity</c> + <c>AddDefaultUI</c>.</param>
    /// <param name="settings">More command-line settings (<c>--Otp:SendGuard:Cooldown=00:00:30</c>); a later one wins.</param>
    public static async Task<TemplateAppSite> StartAsync(bool useAddIdentity, params string[] settings)
    {
        var projectDirectory = FindProjectDirectory();
        Directory.CreateDirectory(Path.Combine(projectDirectory, "bin"));
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(projectDirectory, "bin", configuration, "net10.0", "IdentityTemplateApp.dll");
        if (!File.Exists(dll))
        {
            // Built as a reference in another configuration than the tests' (a build of this project alone).
            dll = Directory.EnumerateFiles(Path.Combine(projectDirectory, "bin"), "IdentityTemplateApp.dll", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() ?? dll;
        }
        Assert.That(File.Exists(dll), Is.True, $"The template app is built ({dll}).");

        var databasePath = Path.Combine(Path.GetTempPath(), $"otp-template-{Guid.NewGuid():N}.db");
        File.Copy(Path.Combine(projectDirectory, "app.db"), databasePath);
        var emulator = await OtpEmulator.StartAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDirectory, // the content root, as `dotnet run` has it
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "exec", dll,
            "--urls", "http://127.0.0.1:0",
            $"--ConnectionStrings:DefaultConnection=DataSource={databasePath};Pooling=false",
            $"--UseAddIdentity={useAddIdentity}",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
            "--Otp:Provider=Amm",
            $"--Otp:Amm:BaseAddress={emulator.BaseAddress}",
            $"--Otp:Amm:AuthKey={emulator.Credentials.AmmAuthKey}",
            $"--Otp:Amm:AuthSecret={emulator.Credentials.AmmAuthSecret}",
            "--Otp:SendGuard:Cooldown=00:00:00", // the test asks for a second code at once; the guard's tests cover the cooldown
            .. settings,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        var output = new List<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.Exited += (_, _) => listening.TrySetException(new TimeoutException("The template app exited."));
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var site = new TemplateAppSite(process, databasePath, output, emulator, new Uri("http://127.0.0.1/"));
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new TemplateAppSite(process, databasePath, output, emulator, address);
        }
        catch (TimeoutException)
        {
            var printed = site.Output;
            await site.DisposeAsync();
            Assert.Fail("The template app did not start (within 60 s). It printed:" + Environment.NewLine + printed);
            throw;
        }
    }

    /// <summary>Waits (up to 5 s) for the emulator's outbox to hold <paramref name="count"/> messages to <paramref name="phone"/>, and returns the last code.</summary>
    public Task<string> CodeAsync(string phone, int count) => Outbox.CodeAsync(Emulator, phone, count);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        await Emulator.DisposeAsync();
        File.Delete(databasePath);
    }

    private static string FindProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "IdentityTemplateApp");
            if (File.Exists(Path.Combine(candidate, "IdentityTemplateApp.csproj")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/IdentityTemplateApp was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
