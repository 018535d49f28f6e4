using System.Text.Json.Nodes;

namespace OtpClients.Tests.Infrastructure;

public static class JsonAssert
{
    /// <summary>Asserts two JSON texts hold the same values: same properties (no more, no fewer), same types, same values.</summary>
    public static void AreEquivalent(string actual, string expected)
    {
        var actualNode = JsonNode.Parse(actual);
        var expectedNode = JsonNode.Parse(expected);
        Assert.That(JsonNode.DeepEquals(actualNode, expectedNode), Is.True, $"JSON differs.\nExpected: {expectedNode?.ToJsonString()}\nActual:   {actualNode?.ToJsonString()}");
    }
}
