using System.Text.Json;

namespace Conduit.Host.Workers;

/// <summary>
/// What a worker process tells its server: one JSON object per line on standard output, <c>{"type": ..., "data": ...}</c>,
/// in the order they happen. Standard output carries these lines alone (logs go to standard error).
/// </summary>
internal sealed class WorkerOutput(TextWriter writer)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();

    /// <summary>Writes one event; safe from any thread (the relay writes from the training thread).</summary>
    public void Send(string type, object payload)
    {
        string line = JsonSerializer.Serialize(new { type, data = payload }, Json);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    /// <summary>Reads one line as an event; null for a line that is not one (the server ignores it).</summary>
    public static (string Type, string Data)? Parse(string line)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String
                && document.RootElement.TryGetProperty("data", out JsonElement data)
                ? (type.GetString()!, data.GetRawText())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
