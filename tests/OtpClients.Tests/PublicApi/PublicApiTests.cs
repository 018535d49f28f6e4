using System.Reflection;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.PublicApi;

/// <summary>
/// Pins the public API of each shipped assembly to a checked-in baseline (<c>PublicApi/&lt;Assembly&gt;.txt</c>).
/// An intended change: run the tests with <c>OTPCLIENTS_ACCEPT_API=1</c>, review the diff of the baseline, commit it.
/// </summary>
public sealed class PublicApiTests
{
    public static IEnumerable<Assembly> ShippedAssemblies()
    {
        yield return typeof(IOtpClient).Assembly;
        yield return typeof(OtpClients.Testing.FakeOtpClient).Assembly;
        yield return typeof(OtpClients.Emulator.OtpEmulator).Assembly;
    }

    [TestCaseSource(nameof(ShippedAssemblies))]
    public void PublicApi_MatchesBaseline(Assembly assembly)
    {
        var name = assembly.GetName().Name!;
        var actual = PublicApiWriter.Write(assembly);
        var baselinePath = Path.Combine(SourceDirectory(), name + ".txt");
        if (Environment.GetEnvironmentVariable("OTPCLIENTS_ACCEPT_API") == "1")
        {
            File.WriteAllText(baselinePath, actual);
            Assert.Pass($"Baseline {baselinePath} written.");
        }

        var expected = File.Exists(baselinePath) ? File.ReadAllText(baselinePath).ReplaceLineEndings("\n") : string.Empty;
        if (expected != actual)
        {
            var receivedPath = Path.Combine(SourceDirectory(), name + ".received.txt");
            File.WriteAllText(receivedPath, actual);
            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            var removed = expectedLines.Except(actualLines).Take(20).Select(l => "- " + l);
            var added = actualLines.Except(expectedLines).Take(20).Select(l => "+ " + l);
            Assert.Fail($"The public API of {name} changed. Review {receivedPath}; to accept, run the tests with OTPCLIENTS_ACCEPT_API=1.\n{string.Join('\n', removed.Concat(added))}");
        }
    }

    [Test]
    public void PublicTypes_AreSealedUnlessDesignedForInheritance()
    {
        var open = ShippedAssemblies()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsClass && !t.IsAbstract && !t.IsSealed && !typeof(Delegate).IsAssignableFrom(t))
            .Select(t => t.FullName)
            .ToList();
        Assert.That(open, Is.Empty, "Public concrete classes should be sealed.");
    }

    // Found from the test output up to the solution, not through [CallerFilePath]: CI builds map source paths.
    private static string SourceDirectory() => Path.Combine(RepositoryRoot.Path, "tests", "OtpClients.Tests", "PublicApi");
}
