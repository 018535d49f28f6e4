using OtpClients.Ip1;
using OtpClients.Tests.Infrastructure;

namespace OtpClients.Tests.Ip1;

public sealed partial class Ip1OtpClientTests
{
    private const int FuzzCases = 250;

    [Test]
    public async Task EveryOperation_RandomAnswers_AlwaysBecomeResults()
    {
        var client = CreateClient();
        var fuzzer = new AnswerFuzzer(
            seed: 4,
            [DocumentedAuthentication, "{\"Valid\": true, \"Authentication\": null}", "{\"Valid\": false}", "{\"ConcurrentLimit\": 5, \"From\": \"iP1\", \"MessageFormat\": \"{0}\", \"Length\": 5, \"ExpirationTime\": 1200, \"NumericOnly\": false}", "{\"Message\":\"The request is invalid.\",\"ModelState\":{\"a.Phone\":[\"x\"]}}"],
            ["ID", "Phone", "Created", "HasExpired", "Expires", "IsUsed", "Used", "Valid", "Authentication", "Code", "ConcurrentLimit", "From", "MessageFormat", "Length", "ExpirationTime", "NumericOnly", "Message", "ModelState"]);
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

            var before = answers.Count;
            var verify = await client.VerifyAsync(new OtpVerifyRequest(Challenge(), "AB12C"));
            Assert.That(verify.Status == OtpVerificationStatus.Failed, Is.EqualTo(verify.Error is not null), "Failed ⇔ Error");
            if (verify.IsVerified)
            {
                var answer = answers[before];
                Assert.That(answer.Status, Is.EqualTo(200), "only a 200 can verify");
                Assert.That(System.Text.Encoding.UTF8.GetString(answer.Body), Does.Match("\"Valid\"\\s*:\\s*true"), "only Valid: true can verify");
            }

            var get = await client.GetAuthenticationAsync(42);
            Assert.That(get.IsSuccess ? get.Value is not null : get.Error is not null, Is.True);
            var list = await client.ListAuthenticationsAsync();
            Assert.That(list.IsSuccess ? list.Value is not null : list.Error is not null, Is.True);
            var settings = await client.GetSettingsAsync();
            Assert.That(settings.IsSuccess ? settings.Value is not null : settings.Error is not null, Is.True);
            var update = await client.UpdateSettingsAsync(new Ip1Settings { ConcurrentLimit = 5 });
            Assert.That(update.IsSuccess ? update.Value is not null : update.Error is not null, Is.True);
        }
    }
}
