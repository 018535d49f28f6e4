using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Amm;

public sealed partial class AmmOtpClientTests
{
    private const int FuzzCases = 250;

    private static AnswerFuzzer Fuzzer(int seed) => new(
        seed,
        [
            "{\"verify_id\": \"c6cf59524c65d9c65d134d1137a86336558d19ba\"}",
            "{\"id_sms\": \"410065822\", \"verify_status\": \"VERIFIED\"}",
            "{\"command\": \"DELETE\"}",
            SearchExample,
            "{\"errorMsg\": \"ANTISPAM\", \"errorCode\": 400}",
        ],
        ["verify_id", "verify_status", "id_sms", "command", "errorMsg", "errorCode", "to", "from", "codice", "date_submit", "valid_until", "checks", "date", "verify_code", "ip_address"]);

    [Test]
    public async Task EveryOperation_RandomAnswers_AlwaysBecomeResults()
    {
        var client = CreateClient();
        var fuzzer = Fuzzer(seed: 3);
        var answers = new List<CannedAnswer>();
        Server.AnswerEach(Endpoints.Any, () =>
        {
            var next = fuzzer.Next();
            lock (answers)
            {
                answers.Add(next);
            }

            return next;
        });

        for (var i = 0; i < FuzzCases; i++)
        {
            var send = await client.SendAsync(new OtpSendRequest(Phone));
            Assert.That(send.IsSuccess ? send.Challenge is not null : send.Error is not null, Is.True);

            var verify = await client.VerifyAsync(new OtpVerifyRequest(Challenge(), "4506"));
            Assert.That(verify.Status == OtpVerificationStatus.Failed, Is.EqualTo(verify.Error is not null), "Failed ⇔ Error");
            if (verify.IsVerified)
            {
                var answer = answers[^1];
                Assert.That(answer.Status, Is.EqualTo(200), "only a 200 can verify");
                Assert.That(System.Text.Encoding.UTF8.GetString(answer.Body), Does.Contain("\"VERIFIED\""), "only the documented success form can verify");
            }

            var cancel = await client.CancelAsync(VerifyId);
            Assert.That(cancel.IsSuccess || cancel.Error is not null, Is.True);

            var search = await client.SearchAsync(VerifyId);
            Assert.That(search.IsSuccess ? search.Value is not null : search.Error is not null, Is.True);
        }

        Assert.That(answers, Has.Count.GreaterThanOrEqualTo(FuzzCases * 4), "every operation reached the stub");
    }
}
