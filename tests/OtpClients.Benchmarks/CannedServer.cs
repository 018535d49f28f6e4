using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OtpClients.Benchmarks;

/// <summary>A loopback Kestrel server answering each provider path with a canned body; it drains the request and does nothing else.</summary>
public sealed class CannedServer : IAsyncDisposable
{
    private static readonly Dictionary<string, byte[]> Answers = new(StringComparer.Ordinal)
    {
        ["/sms/v2/verify/send"] = Encoding.UTF8.GetBytes("{\"verify_id\": \"c6cf59524c65d9c65d134d1137a86336558d19ba\"}"),
        ["/sms/v2/verify/check"] = Encoding.UTF8.GetBytes("{\"id_sms\": \"410065822\", \"verify_status\": \"VERIFIED\"}"),
        ["/api/authentications"] = Encoding.UTF8.GetBytes("{\"ID\": 42, \"Phone\": \"46701234567\", \"Created\": \"2026-11-22T10:00:00.0000000+00:00\", \"HasExpired\": false, \"Expires\": \"2026-11-22T10:20:00.0000000+00:00\", \"IsUsed\": false, \"Used\": null}"),
        ["/api/authentications/validate"] = Encoding.UTF8.GetBytes("{\"Valid\": true, \"Authentication\": {\"ID\": 42, \"Phone\": \"46701234567\", \"HasExpired\": false, \"IsUsed\": true}, \"Phone\": \"46701234567\", \"Code\": \"AB12C\"}"),
        ["/sms/verifySMS"] = Encoding.UTF8.GetBytes("{\"status\": \"OK\", \"unique\": \"63433453\", \"timestamp\": 1600115719, \"from\": \"Contoso\", \"reason\": 1}"),
        ["/sms/verifySMS/check"] = Encoding.UTF8.GetBytes("{\"status\": 1, \"phone\": \"0501234567\"}"),
    };

    private readonly WebApplication app;

    private CannedServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<CannedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.AddServerHeader = false);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var answer = Answers[context.Request.Path.Value!];
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CannedServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
