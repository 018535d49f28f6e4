using System.Diagnostics;
using System.Text;

namespace OtpClients.Tests.Infrastructure;

/// <summary>Runs one of the repository's programs (its built DLL, same configuration as the tests) as a real process.</summary>
public sealed class ProgramProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    private ProgramProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => Read(output);

    public string Error => Read(error);

    /// <summary>The built DLL of a project: <c>src/OtpClients.Emulator.Tool</c> → its <c>bin/{configuration}/net10.0/{name}.dll</c>.</summary>
    public static string Dll(string projectFolder)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var name = Path.GetFileName(projectFolder);
        return Path.Combine(RepositoryRoot.Path, projectFolder, "bin", configuration, "net10.0", name + ".dll");
    }

    public static ProgramProcess Start(string projectFolder, IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(Dll(projectFolder));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // No provider settings leak in from the machine running the tests.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Otp__", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        return new ProgramProcess(Process.Start(info)!);
    }

    /// <summary>Runs a program to its end (at most a minute) and returns its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string projectFolder, params string[] args)
    {
        await using var program = Start(projectFolder, args);
        var exit = await program.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, program.Output, program.Error);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        process.WaitForExit(); // drains the redirected streams
        return process.ExitCode;
    }

    /// <summary>Waits until standard output or error holds <paramref name="text"/>.</summary>
    public async Task<bool> WaitForAsync(string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Output.Contains(text, StringComparison.Ordinal) || Error.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (process.HasExited)
            {
                await Task.Delay(100);
                return Output.Contains(text, StringComparison.Ordinal) || Error.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Asks the program to stop as Ctrl+C would (SIGTERM), then kills it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
