using System.Text;
using System.Text.Json;

namespace Conduit.Server.Tests.Support;

/// <summary>One Server-Sent Event as a client parses it (the text/event-stream format, written independently of the server).</summary>
internal sealed record SseEvent(long Id, string Type, JsonElement Data)
{
    public static async Task<List<SseEvent>> ReadAsync(Stream stream, Func<SseEvent, bool>? until = null)
    {
        var events = new List<SseEvent>();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        long id = 0;
        string type = "message";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    var e = new SseEvent(id, type, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                    events.Add(e);
                    if (until?.Invoke(e) == true || e.Type == "end")
                    {
                        break;
                    }
                }
                type = "message";
                data.Clear();
                continue;
            }
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..].TrimStart();
            switch (field)
            {
                case "id":
                    id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Append(value);
                    break;
            }
        }
        return events;
    }
}
