using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OtpClients.Amm;
using OtpClients.Failover;
using OtpClients.Tests.Infrastructure;
using WireMock.Server;

namespace OtpClients.Tests.DependencyInjection;

/// <summary>
/// Every row of the table in <c>docs/failover.md</c>, through <see cref="FailoverOtpClient"/>: the first provider fails
/// with exactly that row's error, the next is AMM over a loopback stand-in, and the requests that reach it say whether
/// the send moved on.
/// </summary>
public sealed partial class FailoverTableTests
{
    private WireMockServer next = null!;

    [SetUp]
    public void Start()
    {
        next = ProviderStandIn.Start();
        next.Answer(Endpoints.AmmSend, Reply.Json(200, "{\"verify_id\": \"amm-1\"}"));
    }

    [TearDown]
    public void Stop() => next.Dispose();

    public sealed record Row(OtpErrorCode Code, bool MayHaveBeenAccepted, bool IsTransient, int? Status, bool IsRecipientLimit, bool MovesOn)
    {
        public override string ToString() => $"{Code} accepted={MayHaveBeenAccepted} transient={IsTransient} status={Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} recipient={IsRecipientLimit} → {(MovesOn ? "moves on" : "stays")}";
    }

    public static IEnumerable<TestCaseData> Rows() => ReadTable().Select(row => new TestCaseData(row).SetArgDisplayNames(row.ToString()));

    [GeneratedRegex(@"^\| `(?<code>\w+)` \| (?<accepted>true|false) \| (?<transient>true|false) \| (?<status>\d+|—) \| (?<recipient>true|false) \| \*\*(?<send>moves on|stays)\*\* \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    private static List<Row> ReadTable()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "failover.md"));
        return [.. TableRow().Matches(text).Select(m => new Row(
            Enum.Parse<OtpErrorCode>(m.Groups["code"].Value),
            bool.Parse(m.Groups["accepted"].Value),
            bool.Parse(m.Groups["transient"].Value),
            m.Groups["status"].Value == "—" ? null : int.Parse(m.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture),
            bool.Parse(m.Groups["recipient"].Value),
            m.Groups["send"].Value == "moves on"))];
    }

    [Test]
    public void Table_CoversEveryErrorCodeWithAndWithoutMayHaveBeenAccepted()
    {
        var rows = ReadTable();
        foreach (var code in Enum.GetValues<OtpErrorCode>())
        {
            foreach (var accepted in new[] { false, true })
            {
                Assert.That(rows.Any(r => r.Code == code && r.MayHaveBeenAccepted == accepted), $"docs/failover.md has no row for {code} with MayHaveBeenAccepted {accepted}");
            }
        }
    }

    [TestCaseSource(nameof(Rows))]
    public async Task SendAsync_FirstProviderFailsAsInTheRow_MovesOnOrStaysAsTheTableSays(Row row)
    {
        var error = new OtpError(row.Code, "scripted")
        {
            MayHaveBeenAccepted = row.MayHaveBeenAccepted,
            IsTransient = row.IsTransient,
            HttpStatusCode = row.Status,
            IsRecipientLimit = row.IsRecipientLimit,
        };
        var first = new ScriptedProvider("First", error);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var amm = new AmmOtpClient(http, new AmmOptions { BaseAddress = next.BaseAddress(), AuthKey = "k", AuthSecret = "s" });
        using var logs = new FakeLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var failover = new FailoverOtpClient([first, amm], factory.CreateLogger<FailoverOtpClient>());

        var result = await failover.SendAsync(new OtpSendRequest("+39 348 123 4567"));

        Assert.Multiple(() =>
        {
            Assert.That(first.Sends, Is.EqualTo(1));
            Assert.That(next.RequestCount(), Is.EqualTo(row.MovesOn ? 1 : 0), row.ToString());
            Assert.That(result.IsSuccess, Is.EqualTo(row.MovesOn));
            if (!row.MovesOn)
            {
                Assert.That(result.Error, Is.EqualTo(error), "a send that stays returns the provider's error as it is");
            }

            var errors = logs.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Error).ToList();
            if (row.MovesOn && row.Code is OtpErrorCode.Unauthorized or OtpErrorCode.InsufficientCredit)
            {
                Assert.That(errors, Has.Count.EqualTo(1), "an account refusal is logged once at Error");
                Assert.That(errors[0].Message, Does.Contain("First").And.Contain(row.Code.ToString()));
                Assert.That(errors[0].Message, Does.Not.Contain("348"));
            }
            else
            {
                Assert.That(errors, Is.Empty);
            }
        });
    }

    /// <summary>A provider whose every send fails with one error.</summary>
    private sealed class ScriptedProvider(string name, OtpError error) : IOtpClient
    {
        public int Sends { get; private set; }

        public string ProviderName => name;

        public Task<OtpSendResult> SendAsync(OtpSendRequest request, CancellationToken cancellationToken = default)
        {
            Sends++;
            return Task.FromResult(OtpSendResult.Failure(error));
        }

        public Task<OtpVerifyResult> VerifyAsync(OtpVerifyRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
