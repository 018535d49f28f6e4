using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace OtpClients.Benchmarks;

/// <summary>
/// The peer a user would write without this SDK: a plain source-generated Refit client per provider, registered with
/// <c>AddRefitGeneratedClient</c> and Microsoft.Extensions.Http.Resilience's <c>AddStandardResilienceHandler</c>, answers
/// deserialized by Refit through the same source-generated JSON as the floor (<see cref="BaselineJson"/>). It puts the
/// same fields on the wire; it validates nothing, maps no error and records no telemetry of its own.
/// </summary>
public sealed class RefitPeer
{
    private const string AmmAuth = "YW1tLWtleTphbW0tc2VjcmV0"; // amm-key:amm-secret
    private const string Ip1Auth = "aXAxLTEyMzQ1OmlwMS1rZXk="; // ip1-12345:ip1-key

    private readonly IAmmPeer amm;
    private readonly IIp1Peer ip1;
    private readonly INinetyNinePeer nine;

    public RefitPeer(IServiceProvider services)
    {
        amm = services.GetRequiredService<IAmmPeer>();
        ip1 = services.GetRequiredService<IIp1Peer>();
        nine = services.GetRequiredService<INinetyNinePeer>();
    }

    public static void Register(IServiceCollection services, Uri baseAddress)
    {
        services.AddRefitGeneratedClient<IAmmPeer>(BaselineJson.Default).ConfigureHttpClient(c => c.BaseAddress = baseAddress).AddStandardResilienceHandler();
        services.AddRefitGeneratedClient<IIp1Peer>(BaselineJson.Default).ConfigureHttpClient(c => c.BaseAddress = baseAddress).AddStandardResilienceHandler();
        services.AddRefitGeneratedClient<INinetyNinePeer>(BaselineJson.Default).ConfigureHttpClient(c => c.BaseAddress = baseAddress).AddStandardResilienceHandler();
    }

    public async Task<string?> AmmSendAsync(string to, string text)
    {
        using var response = await amm.SendAsync(new Dictionary<string, string> { ["to"] = to, ["text"] = text }, AmmAuth);
        return response.Content?.VerifyId;
    }

    public async Task<bool> AmmVerifyAsync(string verifyId, string code)
    {
        using var response = await amm.CheckAsync(verifyId, code, AmmAuth);
        return response.Content?.VerifyStatus == "VERIFIED";
    }

    public async Task<long?> Ip1SendAsync(string phone)
    {
        using var response = await ip1.CreateAsync(new Ip1New { Phone = phone }, Ip1Auth);
        return response.Content?.Id;
    }

    public async Task<bool> Ip1VerifyAsync(string phone, string code)
    {
        using var response = await ip1.ValidateAsync(new Ip1Validate { Phone = phone, Code = code }, Ip1Auth);
        return response.Content?.Valid == true;
    }

    public async Task<string?> NinetyNineSendAsync(string from, string to)
    {
        using var response = await nine.SendAsync("99-key", from, to);
        return response.Content?.Unique;
    }

    public async Task<bool> NinetyNineVerifyAsync(string to, string code)
    {
        using var response = await nine.CheckAsync("99-key", to, code);
        return response.Content?.Status == 1;
    }
}

[Headers("Accept: application/json")]
public interface IAmmPeer
{
    [Post("/sms/v2/verify/send")]
    Task<IApiResponse<AmmSend>> SendAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Authorize("Basic")] string auth);

    [Get("/sms/v2/verify/check")]
    Task<IApiResponse<AmmCheck>> CheckAsync([AliasAs("verify_id")] string verifyId, [AliasAs("verify_code")] string verifyCode, [Authorize("Basic")] string auth);
}

[Headers("Accept: application/json")]
public interface IIp1Peer
{
    [Post("/api/authentications")]
    Task<IApiResponse<Ip1Authentication>> CreateAsync([Body(buffered: true)] Ip1New body, [Authorize("Basic")] string auth);

    [Post("/api/authentications/validate")]
    Task<IApiResponse<Ip1Validation>> ValidateAsync([Body(buffered: true)] Ip1Validate body, [Authorize("Basic")] string auth);
}

[Headers("Accept: application/json")]
public interface INinetyNinePeer
{
    [Multipart]
    [Post("/sms/verifySMS")]
    Task<IApiResponse<NineSend>> SendAsync([AliasAs("apiKey")] string apiKey, string from, string to);

    [Multipart]
    [Post("/sms/verifySMS/check")]
    Task<IApiResponse<NineCheck>> CheckAsync([AliasAs("apiKey")] string apiKey, string to, string code);
}
