using OtpClients.Emulator;

namespace OtpClients.BrowserTests.Infrastructure;

/// <summary>The codes an emulator texted, read as a user reads their SMS.</summary>
internal static class Outbox
{
    /// <summary>Waits (up to 5 s) for the emulator's outbox to hold <paramref name="count"/> messages to <paramref name="phone"/>, and returns the last code.</summary>
    public static async Task<string> CodeAsync(OtpEmulator emulator, string phone, int count)
    {
        for (var i = 0; i < 100; i++)
        {
            var messages = emulator.Outbox.Messages.Where(m => m.PhoneNumber == phone).ToArray();
            if (messages.Length >= count)
            {
                return messages[^1].Code;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"The emulator's outbox holds fewer than {count} messages to that number.");
        return string.Empty;
    }
}
