using OtpClients.Samples.WebApi;

var app = await OtpSampleApi.BuildAsync(args);
await app.RunAsync();
