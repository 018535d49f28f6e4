using System.Text;
using StackExchange.Redis;

namespace OtpClients.Tests.Infrastructure;

/// <summary>Everything a real redis-server holds, read over a raw connection, for privacy tests.</summary>
public static class RedisDump
{
    /// <summary>Reads every key under any prefix and its whole value, as text, over a raw connection.</summary>
    public static async Task<(string[] Keys, string Text)> ReadAsync(string configuration)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration + ",allowAdmin=true");
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var database = connection.GetDatabase();
        var keys = new List<string>();
        var text = new StringBuilder();
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            keys.Add(key.ToString());
            text.AppendLine(key.ToString());
            switch (await database.KeyTypeAsync(key))
            {
                case RedisType.SortedSet:
                    foreach (var entry in await database.SortedSetRangeByRankWithScoresAsync(key))
                    {
                        text.Append(Latin1(entry.Element)).Append(' ').AppendLine(entry.Score.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
                case RedisType.Hash:
                    foreach (var entry in await database.HashGetAllAsync(key))
                    {
                        text.Append(Latin1(entry.Name)).Append('=').AppendLine(Latin1(entry.Value));
                    }

                    break;
                case RedisType.String:
                    text.AppendLine(Latin1(await database.StringGetAsync(key)));
                    break;
                default:
                    text.AppendLine("unexpected type");
                    break;
            }
        }

        return ([.. keys], text.ToString());
    }

    private static string Latin1(RedisValue value) => Encoding.Latin1.GetString((byte[])value!);
}
