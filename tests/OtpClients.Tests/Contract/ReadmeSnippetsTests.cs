using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Contract;

/// <summary>
/// Every <c>csharp</c> block of the README compiles against the packages as they are: a renamed method or option breaks
/// this test, not a newcomer's first build. Statements are compiled in a method that has the variables the README
/// leaves to the reader (<c>services</c>, <c>otp</c>, <c>phone</c>, …), declarations in a class; <c>…</c> stands for
/// "your settings". The few types that are not OtpClients' (the app's DbContext, OpenTelemetry's builder, the README's
/// example plug-in and test subject) are stubbed, so the OtpClients names in each block are what is checked.
/// </summary>
public sealed partial class ReadmeSnippetsTests
{
    private const string Usings = """
        using System;
        using System.Globalization;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Identity;
        using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
        using Microsoft.Extensions.DependencyInjection;
        using NUnit.Framework;
        using OtpClients;
        using OtpClients.Amm;
        using OtpClients.Diagnostics;
        using OtpClients.Emulator;
        using OtpClients.Guard;
        using OtpClients.Testing;

        """;

    /// <summary>Stand-ins for what the README's blocks take from outside OtpClients.</summary>
    private const string Stubs = """
        public sealed class ApplicationDbContext : IdentityDbContext { }

        public static class StubExtensions
        {
            public static IdentityBuilder AddDefaultIdentity<TUser>(this IServiceCollection services, Action<IdentityOptions> configure) where TUser : class =>
                services.AddIdentityCore<TUser>(configure);

            public static Telemetry AddOpenTelemetry(this IServiceCollection services) => new();
        }

        public sealed class Telemetry
        {
            public Telemetry WithTracing(Action<Telemetry> configure) => this;
            public Telemetry WithMetrics(Action<Telemetry> configure) => this;
            public Telemetry AddSource(string name) => this;
            public Telemetry AddMeter(string name) => this;
        }

        public sealed class TextlyOptions() : OtpProviderOptions(new Uri("https://textly.example/"))
        {
            protected override string SectionName => "Textly";
            protected override void ValidateProvider(System.Collections.Generic.ICollection<string> errors) { }
        }

        public sealed class TextlyOtpClient(HttpClient http, TextlyOptions options) : IOtpClient
        {
            public string ProviderName => "Textly";
            public Task<OtpSendResult> SendAsync(OtpSendRequest request, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();
            public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, System.Threading.CancellationToken cancellationToken = default) => throw new NotSupportedException();
        }

        public sealed class PhoneLogin(IOtpClient otp)
        {
            public Task<OtpChallenge> StartAsync(string phone) => throw new NotSupportedException();
            public Task<bool> FinishAsync(OtpChallenge challenge, string code) => throw new NotSupportedException();
        }

        """;

    public static IEnumerable<TestCaseData> Snippets()
    {
        var readme = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "README.md"));
        var index = 0;
        foreach (Match block in Block().Matches(readme))
        {
            index++;
            var code = block.Groups[1].Value;
            var line = readme[..block.Index].Count(c => c == '\n') + 1;
            yield return new TestCaseData(line, code).SetName($"Readme_CSharpBlock{index:00}AtLine{line}_Compiles");
        }
    }

    [Test]
    public void Readme_LoopbackAddresses_AreTheSamplesFixedPortsOrAPlaceholder()
    {
        // The embedded emulator takes a free port at each start: a fixed one in the README (40101, 41234) never matched.
        var readme = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "README.md"));
        var ports = Regex.Matches(readme, @"127\.0\.0\.1:(\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();

        Assert.That(ports, Is.SubsetOf(new[] { 5070, 5080, 5087 }), "the WebApi sample, the Identity sample and the emulator tool's default port; write <port> for the others");
    }

    [Test]
    public void Readme_ResendEndpoint_ShowsItsBody()
    {
        var readme = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "README.md"));

        Assert.That(readme, Does.Match(@"curl -s -X POST http://127\.0\.0\.1:5070/otp/resend [^\n]*\\\n\s+-d '\{""verificationId"":""[^""]+""\}'"));
    }

    [TestCaseSource(nameof(Snippets))]
    public void Readme_CSharpBlock_Compiles(int line, string code)
    {
        // "…" stands for the reader's own settings.
        var filled = code.Replace("{ … }", "{ }", StringComparison.Ordinal).Replace("= …;", "= default!;", StringComparison.Ordinal);
        var declarations = filled.Contains("public static ", StringComparison.Ordinal) || filled.Contains("[Test]", StringComparison.Ordinal);
        var program = filled.TrimStart().StartsWith("using ", StringComparison.Ordinal);
        var source = program
            ? filled // a whole program: its own using lines, top-level statements; compiled as it is
            : Usings + Stubs + (declarations
            ? $"public static class Snippet\n{{\n    private static readonly OtpProviderDescriptor Descriptor = null!;\n{filled}\n}}\n"
            : $$"""
                public static class Snippet
                {
                    public static async Task RunAsync(IServiceCollection services, IOtpClient otp, IOtpVerificationSessions sessions, string phone, string ip, string typedCode,
                        HttpContext httpContext, WebApplicationBuilder builder, WebApplication app, HttpClient httpClient, TimeProvider clock)
                    {
                {{filled}}
                        await Task.CompletedTask;
                    }
                }
                """);
        if (!program && declarations && filled.Contains("[Test]", StringComparison.Ordinal))
        {
            source = source.Replace("public static class Snippet", "public sealed class Snippet", StringComparison.Ordinal);
        }

        var compilation = CSharpCompilation.Create(
            "ReadmeSnippet" + line,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            References.Value,
            new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();

        Assert.That(errors, Is.Empty, $"README.md line {line}:\n{code}");
    }

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        // Everything the test process can load: the runtime, ASP.NET Core, OtpClients' packages, NUnit.
        _ = typeof(OtpClients.Testing.FakeOtpClient).Assembly;
        _ = typeof(OtpClients.Emulator.OtpEmulator).Assembly;
        _ = typeof(Microsoft.Extensions.DependencyInjection.OtpRedisBuilderExtensions).Assembly;
        _ = typeof(Microsoft.Extensions.DependencyInjection.OtpIdentityBuilderExtensions).Assembly;
        _ = typeof(Microsoft.Extensions.DependencyInjection.OtpIdentityUIBuilderExtensions).Assembly;
        _ = typeof(Microsoft.Extensions.DependencyInjection.OtpHealthChecksBuilderExtensions).Assembly;
        _ = typeof(Microsoft.AspNetCore.Identity.EntityFrameworkCore.IdentityDbContext).Assembly;
        _ = typeof(Microsoft.Extensions.DependencyInjection.TwilioVerifyOtpClientBuilderExtensions).Assembly;
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location);
        var probed = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return [.. trusted.Concat(loaded).Concat(probed).Distinct(StringComparer.Ordinal).Where(IsManaged).Select(p => MetadataReference.CreateFromFile(p))];
    });

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();
}
