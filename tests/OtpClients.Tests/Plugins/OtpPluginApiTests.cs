using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OtpClients.Http;

namespace OtpClients.Tests.Plugins;

/// <summary>
/// The core's plug-in API for what every provider does alike (the Twilio package uses it, and copies nothing): reading an
/// answer strictly and within bounds, Basic credentials, and the reading of a typed code.
/// </summary>
public sealed class OtpPluginApiTests
{
    private sealed class TestOptions() : OtpProviderOptions(new Uri("https://provider.example/"))
    {
        protected override string SectionName => "Test";

        protected override void ValidateProvider(ICollection<string> errors)
        {
        }
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string? mediaType = "application/json") =>
        new(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = mediaType is null ? null : new MediaTypeHeaderValue(mediaType) } } };

    /// <summary>A body whose length is not announced and that arrives in pieces, as a chunked answer does.</summary>
    private sealed class EndlessContent(int bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(new byte[bytes]).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A body that fails halfway, as a dropped connection does.</summary>
    private sealed class BrokenContent : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => throw new IOException("connection reset");

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Test]
    public async Task ReadAsync_JsonObject_ReadsItsFields()
    {
        using var response = Answer(HttpStatusCode.OK, "\uFEFF {\"status\": \"approved\", \"valid\": true, \"code\": 60203} ");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30));

        var answer = await OtpProviderAnswer.ReadAsync(response, new TestOptions());

        Assert.Multiple(() =>
        {
            Assert.That(answer.Problem, Is.Null);
            Assert.That(answer.IsSuccessStatusCode && answer.IsDeclaredJson, Is.True);
            Assert.That(answer.TryGetString("status", out var status) ? status : null, Is.EqualTo("approved"));
            Assert.That(answer.TryGetBoolean("valid", out var valid) && valid, Is.True);
            Assert.That(answer.TryGetInt32("code", out var code) ? code : 0, Is.EqualTo(60203));
            Assert.That(answer.TryGetString("valid", out _), Is.False, "a boolean is not a string");
            Assert.That(answer.TryGetBoolean("status", out _), Is.False, "a string is not a boolean");
            Assert.That(answer.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [TestCase("{\"status\": \"pending\", \"status\": \"approved\"}", TestName = "ReadAsync_PropertyTwice_IsNotJson")]
    [TestCase("{\"a\": {\"b\": 1, \"b\": 2}}", TestName = "ReadAsync_PropertyTwiceDeepInside_IsNotJson")]
    [TestCase("{\"st\\u0061tus\": \"pending\", \"status\": \"approved\"}", TestName = "ReadAsync_PropertyTwiceOnceEscaped_IsNotJson")]
    [TestCase("{\"status\": \"approved\" /* ok */}", TestName = "ReadAsync_Comment_IsNotJson")]
    [TestCase("{\"status\": \"approved\",}", TestName = "ReadAsync_TrailingComma_IsNotJson")]
    [TestCase("{\"status\": \"approved\"} {}", TestName = "ReadAsync_TwoValues_IsNotJson")]
    [TestCase("<html>approved</html>", TestName = "ReadAsync_Html_IsNotJson")]
    [TestCase("[{\"status\": \"approved\"}]", TestName = "ReadAsync_Array_IsNotAnObject")]
    [TestCase("\"approved\"", TestName = "ReadAsync_String_IsNotAnObject")]
    [TestCase("", TestName = "ReadAsync_Empty_IsEmpty")]
    public async Task ReadAsync_NotStrictlyAJsonObject_HasAProblemAndNoJson(string body)
    {
        using var response = Answer(HttpStatusCode.OK, body);

        var answer = await OtpProviderAnswer.ReadAsync(response, new TestOptions());

        Assert.Multiple(() =>
        {
            Assert.That(answer.Json, Is.Null);
            Assert.That(answer.Problem, Is.Not.Null.And.StartsWith("the answer "));
            Assert.That(answer.TryGetString("status", out _), Is.False);
        });
    }

    [Test]
    public async Task ReadAsync_DeclaredLargerThanTheCap_IsNotRead()
    {
        using var response = Answer(HttpStatusCode.OK, "{\"status\": \"approved\"}");
        var options = new TestOptions { MaxResponseBytes = 8 };

        var answer = await OtpProviderAnswer.ReadAsync(response, options);

        Assert.That(answer.Problem, Is.EqualTo("the answer is larger than 8 bytes (MaxResponseBytes)"));
    }

    [Test]
    public async Task ReadAsync_UnannouncedBodyLargerThanTheCap_StopsReading()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new EndlessContent(1_000_000) };
        var options = new TestOptions { MaxResponseBytes = 1024 };

        var answer = await OtpProviderAnswer.ReadAsync(response, options);

        Assert.That(answer.Problem, Is.EqualTo("the answer is larger than 1024 bytes (MaxResponseBytes)"));
    }

    [Test]
    public async Task ReadAsync_BodyBreaks_IsAProblemNotAnException()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new BrokenContent() };

        var answer = await OtpProviderAnswer.ReadAsync(response, new TestOptions());

        Assert.That(answer.Problem, Is.EqualTo("the answer could not be read"));
    }

    [Test]
    public void ReadAsync_CallerCancels_Throws()
    {
        using var response = Answer(HttpStatusCode.OK, "{}");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.That(async () => await OtpProviderAnswer.ReadAsync(response, new TestOptions(), cancellationToken: cancel.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task ReadAsync_NotDeclaredJson_IsReadButSaysSo()
    {
        using var response = Answer(HttpStatusCode.OK, "{\"status\": \"approved\"}", "text/html");

        var answer = await OtpProviderAnswer.ReadAsync(response, new TestOptions());

        Assert.Multiple(() =>
        {
            Assert.That(answer.IsDeclaredJson, Is.False, "an answer that can say 'verified' requires it");
            Assert.That(answer.MediaType, Is.EqualTo("text/html"));
        });
    }

    [Test]
    public void ReadAsync_NullArguments_Throw()
    {
        using var response = Answer(HttpStatusCode.OK, "{}");

        Assert.Multiple(() =>
        {
            Assert.That(async () => await OtpProviderAnswer.ReadAsync(null!, new TestOptions()), Throws.ArgumentNullException);
            Assert.That(async () => await OtpProviderAnswer.ReadAsync(response, null!), Throws.ArgumentNullException);
        });
    }

    [TestCase("Aladdin", "open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ==", TestName = "BasicParameter_Rfc7617Example_Encodes")]
    [TestCase("test", "123£", "dGVzdDoxMjPCow==", TestName = "BasicParameter_NonAscii_EncodesUtf8")]
    public void BasicParameter_Credentials_EncodesThem(string user, string password, string expected) =>
        Assert.That(OtpHttpAuthentication.BasicParameter(user, password), Is.EqualTo(expected));

    [Test]
    public void BasicParameter_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => OtpHttpAuthentication.BasicParameter(null!, "p"));
        Assert.Throws<ArgumentNullException>(() => OtpHttpAuthentication.BasicParameter("u", null!));
    }

    [TestCase(" 123-456 ", "123456")]
    [TestCase("١٢٣٤", "1234")]
    [TestCase("۱۲۳۴", "1234")]
    [TestCase("AB12", "AB12")]
    public void TryNormalize_TypedCode_Normalizes(string typed, string expected)
    {
        Assert.That(OtpCodes.TryNormalize(typed, out var code), Is.True);
        Assert.That(code, Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("12.34")]
    [TestCase("12;DROP")]
    [TestCase("123456789012345678901234567890123")]
    public void TryNormalize_NotACode_False(string? typed)
    {
        Assert.That(OtpCodes.TryNormalize(typed, out var code), Is.False);
        Assert.That(code, Is.Null);
    }
}
