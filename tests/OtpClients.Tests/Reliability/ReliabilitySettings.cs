using System.Globalization;

namespace OtpClients.Tests.Reliability;

/// <summary>
/// Sizes of the reliability suites. CI runs the bounded defaults; a longer local run sets, for example,
/// <c>OTPCLIENTS_FUZZ_CASES=100000 OTPCLIENTS_SOAK_FLOWS=100000 dotnet test -c Release --filter Category=Reliability</c>.
/// </summary>
public static class ReliabilitySettings
{
    public static int FuzzCasesPerEndpoint => Read("OTPCLIENTS_FUZZ_CASES", 5000);

    public static int SoakFlows => Read("OTPCLIENTS_SOAK_FLOWS", 10_000);

    public static int SoakParallelism => Read("OTPCLIENTS_SOAK_PARALLELISM", 64);

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
