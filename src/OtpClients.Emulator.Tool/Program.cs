using System.Globalization;
using System.Runtime.InteropServices;

namespace OtpClients.Emulator;

/// <summary>The standalone emulator: <c>dotnet run --project src/OtpClients.Emulator [-- --port 5087]</c>.</summary>
internal static class Program
{
    private const int DefaultPort = 5087;

    public static async Task<int> Main(string[] args)
    {
        var port = DefaultPort;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--port" or "-p" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= 65535)
            {
                port = parsed;
                i++;
            }
            else if (args[i] is "--help" or "-h")
            {
                Console.WriteLine("OtpClients emulator: iP1, AMM and 99digital on one loopback origin.\nUsage: OtpClients.Emulator [--port <port>]   (default 5087; 0 picks a free port)");
                return 0;
            }
            else
            {
                await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. Try --help.").ConfigureAwait(false);
                return 2;
            }
        }

        var emulator = await OtpEmulator.StartAsync(new OtpEmulatorOptions { Port = port }).ConfigureAwait(false);
        await using var stopEmulator = emulator.ConfigureAwait(false);
        var c = emulator.Credentials;
        Console.WriteLine($"""
            OtpClients emulator listening on {emulator.BaseAddress}
              AMM        Otp__Amm__BaseAddress={emulator.BaseAddress}  Otp__Amm__AuthKey={c.AmmAuthKey}  Otp__Amm__AuthSecret={c.AmmAuthSecret}
              iP1        Otp__Ip1__BaseAddress={emulator.BaseAddress}  Otp__Ip1__AccountId={c.Ip1AccountId}  Otp__Ip1__ApiKey={c.Ip1ApiKey}
              99digital  Otp__NinetyNineDigital__BaseAddress={emulator.BaseAddress}  Otp__NinetyNineDigital__ApiKey={c.NinetyNineDigitalApiKey}
              Outbox     GET {emulator.BaseAddress}_emulator/messages
            Press Ctrl+C to stop.
            """);

        // Ctrl+C and SIGTERM end the wait; the shutdown then runs on Main's own flow, not on the signal's thread.
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await stopped.Task.ConfigureAwait(false);
        Console.WriteLine("Stopping.");
        return 0;
    }
}
