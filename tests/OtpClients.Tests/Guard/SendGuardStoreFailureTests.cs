using Microsoft.Extensions.DependencyInjection;
using OtpClients.Guard;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Guard;

/// <summary>The guard's store failing (any store; Redis itself is killed in RedisFaultTests): fail closed by default, fail open when configured.</summary>
public sealed class SendGuardStoreFailureTests() : GuardFixture(StoreKind.Memory)
{
    private sealed class UnreachableStore : IOtpGuardStore
    {
        public ValueTask<OtpGuardDecision> TryAcquireAsync(OtpGuardRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<OtpGuardDecision>(new IOException("connection refused"));

        public ValueTask RecordAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("connection refused"));
    }

    private static void Unreachable(IServiceCollection services) => services.AddSingleton<IOtpGuardStore>(new UnreachableStore());

    [Test]
    public async Task SendAsync_StoreUnreachable_FailsClosedByDefaultWithoutHttp()
    {
        var client = App(_ => { }, services: Unreachable).Client;

        var send = await client.SendAsync(new OtpSendRequest(Israeli));
        var verify = await client.VerifyAsync(new OtpVerifyRequest(new OtpChallenge("AMM", "amm-1", Israeli), "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(send.Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(send.Error!.ProviderCode, Is.EqualTo(OtpGuardRules.StoreUnavailable));
            Assert.That(send.Error.IsTransient, Is.True);
            Assert.That(send.Error.MayHaveBeenAccepted, Is.False);
            Assert.That(verify.Error?.Code, Is.EqualTo(OtpErrorCode.ProviderUnavailable));
            Assert.That(Server.RequestCount(), Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_StoreUnreachableFailOpen_SendsAndLogsAWarning()
    {
        using var telemetry = new TelemetryCapture();
        Server.Answer(Endpoints.AmmCheck, Reply.Json(200, "{\"verify_status\": \"VERIFIED\"}"));
        var client = App(g => { g.OnStoreFailure = OtpGuardFailureMode.FailOpen; g.Conversion.Enabled = true; }, services: Unreachable, logger: telemetry.LoggerProvider).Client;

        var send = await client.SendAsync(new OtpSendRequest(Israeli) { ClientIpAddress = "203.0.113.7" });
        var verify = await client.VerifyAsync(new OtpVerifyRequest(send.Challenge!, "123456") { ClientIpAddress = "203.0.113.7" });

        Assert.Multiple(() =>
        {
            Assert.That(send.IsSuccess, Is.True, send.ToString());
            Assert.That(verify.IsVerified, Is.True, "a conversion that cannot be recorded does not fail the verify");
            Assert.That(Sends(), Is.EqualTo(1));
            Assert.That(telemetry.Logs.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("GuardStoreFailed", StringComparison.Ordinal)).ToArray(), Has.Length.EqualTo(3));
            Assert.That(telemetry.AllText(), Does.Contain("unguarded").And.Not.Contain("4567"));
        });
    }
}
