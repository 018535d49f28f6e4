using OtpClients.Delivery;

namespace OtpClients.Tests.Delivery;

/// <summary>Each rule of delivery health (<c>docs/delivery-health.md</c>) on hand-made figures.</summary>
public sealed class DeliveryHealthRuleTests
{
    private const long BucketMs = 1000;
    private const long VerifyWithinMs = 3000;
    private const int MinSends = 20;

    private static DeliveryFigures Summarize(long nowMs, params OtpDeliveryBucket[] buckets) =>
        DeliveryHealthRule.Summarize(buckets, BucketMs, nowMs, VerifyWithinMs, 0, MinSends);

    [Test]
    public void Summarize_MaturedBucket_CountsEverySendAsAnOutcome()
    {
        // Bucket 0 ends at 1 s; matured at 1 s + 3 s.
        var figures = Summarize(4000, new OtpDeliveryBucket(0, Sends: 10, Verified: 6, Resent: 1));
        Assert.Multiple(() =>
        {
            Assert.That(figures.Outcomes, Is.EqualTo(10), "the 3 unverified, unresent sends count as not delivered");
            Assert.That(figures.Successes, Is.EqualTo(6));
        });
    }

    [Test]
    public void Summarize_YoungBucket_CountsOnlyKnownOutcomes()
    {
        var figures = Summarize(3999, new OtpDeliveryBucket(0, Sends: 10, Verified: 6, Resent: 1));
        Assert.Multiple(() =>
        {
            Assert.That(figures.Outcomes, Is.EqualTo(7), "verified and resent only: the rest may still verify");
            Assert.That(figures.Successes, Is.EqualTo(6));
        });
    }

    [Test]
    public void Summarize_CountsAreCapped_NeverMoreOutcomesThanSends()
    {
        // A late verification of a code that was also resent: one send, two events.
        var figures = Summarize(100, new OtpDeliveryBucket(0, Sends: 1, Verified: 1, Resent: 1));
        Assert.Multiple(() =>
        {
            Assert.That(figures.Outcomes, Is.EqualTo(1));
            Assert.That(figures.Successes, Is.EqualTo(1));
        });
    }

    [Test]
    public void Summarize_RecentSample_IsTheNewestBucketsHoldingMinSends()
    {
        var figures = Summarize(100_000,
            new OtpDeliveryBucket(10, 30, 30, 0),
            new OtpDeliveryBucket(50, 12, 0, 12),
            new OtpDeliveryBucket(51, 12, 0, 12));
        Assert.Multiple(() =>
        {
            Assert.That(figures.RecentOutcomes, Is.EqualTo(24), "the two newest buckets reach 20");
            Assert.That(figures.RecentSuccesses, Is.Zero);
            Assert.That(figures.HistoryOutcomes, Is.EqualTo(30));
            Assert.That(figures.HistorySuccesses, Is.EqualTo(30));
        });
    }

    [Test]
    public void Summarize_BucketsOlderThanTheWindow_AreIgnored()
    {
        var figures = DeliveryHealthRule.Summarize([new OtpDeliveryBucket(3, 50, 0, 50), new OtpDeliveryBucket(9, 5, 5, 0)], BucketMs, 20_000, VerifyWithinMs, 5, MinSends);
        Assert.That(figures.Sends, Is.EqualTo(5));
    }

    [TestCase(0, 20, 0.1192)]
    [TestCase(20, 20, 1.0)]
    [TestCase(6, 20, 0.4838)]
    [TestCase(0, 0, 1.0)]
    public void UpperBound_IsTheOneSided95PercentWilsonBound(long successes, long trials, double expected) =>
        Assert.That(DeliveryHealthRule.UpperBound(successes, trials), Is.EqualTo(expected).Within(0.001));

    [Test]
    public void Judge_NoBaseline_NeverDemotes()
    {
        // A provider that never delivered, but nothing to compare it with: the app may simply have users who leave.
        var verdict = DeliveryHealthRule.Judge(new DeliveryFigures(40, 0, 40, 40, 0, 40, 0), 0, 0, MinSends, 0.5);
        Assert.That(verdict.IsDemoted, Is.False);
    }

    [Test]
    public void Judge_BelowItsOwnHistory_Demotes()
    {
        var own = new DeliveryFigures(Sends: 120, Verified: 95, Resent: 20, Outcomes: 120, Successes: 95, RecentOutcomes: 20, RecentSuccesses: 1);
        var verdict = DeliveryHealthRule.Judge(own, 0, 0, MinSends, 0.5);
        Assert.Multiple(() =>
        {
            Assert.That(verdict.IsDemoted, Is.True);
            Assert.That(verdict.Baseline, Is.EqualTo(0.94).Within(0.001));
        });
    }

    [Test]
    public void Judge_BelowTheOtherProviders_Demotes()
    {
        var own = new DeliveryFigures(20, 2, 18, 20, 2, 20, 2);
        var verdict = DeliveryHealthRule.Judge(own, otherOutcomes: 40, otherSuccesses: 38, MinSends, 0.5);
        Assert.That(verdict.IsDemoted, Is.True);
    }

    [Test]
    public void Judge_EveryProviderEquallyLow_DoesNotDemote()
    {
        // An app whose users often do not finish (or a pumping attack on every provider): nothing to reorder for.
        var own = new DeliveryFigures(40, 12, 0, 40, 12, 20, 6);
        var verdict = DeliveryHealthRule.Judge(own, otherOutcomes: 40, otherSuccesses: 12, MinSends, 0.5);
        Assert.That(verdict.IsDemoted, Is.False);
    }

    [Test]
    public void Judge_FewerThanMinSendsRecentOutcomes_DoesNotDemote()
    {
        var own = new DeliveryFigures(19, 0, 19, 19, 0, 19, 0);
        var verdict = DeliveryHealthRule.Judge(own, 100, 100, MinSends, 0.5);
        Assert.That(verdict.IsDemoted, Is.False);
    }

    [Test]
    public void Judge_HealthyNoise_DoesNotDemote()
    {
        // 14 of 20 against a history of 90 %: lower, but not surely below half of it.
        var own = new DeliveryFigures(120, 104, 6, 120, 104, 20, 14);
        Assert.That(DeliveryHealthRule.Judge(own, 0, 0, MinSends, 0.5).IsDemoted, Is.False);
    }

    [Test]
    public void Judge_ProbesConvertingAgain_Restores()
    {
        // Demoted on 20 failures; then 7 probes verified among the newest 20 outcomes.
        var own = new DeliveryFigures(60, 7, 53, 60, 7, 20, 7);
        var verdict = DeliveryHealthRule.Judge(own, otherOutcomes: 200, otherSuccesses: 196, MinSends, 0.5);
        Assert.That(verdict.IsDemoted, Is.False);
    }

    [Test]
    public void BucketMilliseconds_IsTheWindowCutIntoSixty()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DeliveryHealthRule.BucketMilliseconds(TimeSpan.FromHours(6)), Is.EqualTo(360_000));
            Assert.That(DeliveryHealthRule.BucketMilliseconds(TimeSpan.FromSeconds(1)), Is.EqualTo(16));
        });
    }
}
