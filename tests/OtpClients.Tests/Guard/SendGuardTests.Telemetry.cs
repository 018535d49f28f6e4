using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

public sealed partial class SendGuardTests
{
    [Test]
    public async Task SendAsync_Refused_CountsTheRuleAndLogsNoNumber()
    {
        using var telemetry = new TelemetryCapture();
        var client = App(g => { NoRules(g); g.Cooldown = TimeSpan.FromSeconds(30); g.BlockedRegions.Add("IT"); }, logger: telemetry.LoggerProvider).Client;

        await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "203.0.113.77" });
        await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "203.0.113.77" });
        await client.SendAsync(new OtpSendRequest(Italian));

        var refusals = telemetry.Measurements.Where(m => m.Instrument == "otp.guard.refusals").ToArray();
        var text = telemetry.AllText();
        Assert.Multiple(() =>
        {
            Assert.That(refusals.Select(m => m.Tags[OtpDiagnostics.GuardRuleTag]), Is.EquivalentTo(new[] { OtpGuardRules.Cooldown, OtpGuardRules.BlockedRegion }));
            Assert.That(refusals.SelectMany(m => m.Tags.Keys).Distinct(), Is.EquivalentTo(new[] { OtpDiagnostics.GuardRuleTag, OtpDiagnostics.OperationTag }), "tagged by rule and operation only");
            Assert.That(telemetry.Logs.Count(l => l.Contains("refused by the send guard", StringComparison.Ordinal)), Is.EqualTo(2));
            Assert.That(text, Does.Not.Contain("1234567").And.Not.Contain("4567").And.Not.Contain("203.0.113.77"), "no number and no IP in any log, tag or trace");
        });
    }
}
