using OtpClients.Samples.Identity;

var app = await IdentitySample.BuildAsync(args);
await app.RunAsync();
