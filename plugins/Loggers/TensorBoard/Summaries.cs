using System.Globalization;
using System.Text;

namespace Conduit.Loggers.TensorBoard;

/// <summary>
/// The <c>Summary</c> protos TensorBoard's plugins read: scalars, text (the text plugin's string tensor) and
/// hyperparameters (the hparams plugin's session start and end).
/// </summary>
internal static class Summaries
{
    // tensorflow.Summary.Value fields.
    private const int Tag = 1;
    private const int SimpleValue = 2;
    private const int Tensor = 8;
    private const int Metadata = 9;

    /// <summary>One scalar per metric.</summary>
    public static ProtoWriter Scalars(IEnumerable<KeyValuePair<string, double>> values)
    {
        var summary = new ProtoWriter();
        foreach (var (name, value) in values)
        {
            summary.Message(1, new ProtoWriter().String(Tag, name).Float(SimpleValue, (float)value));
        }
        return summary;
    }

    /// <summary>Markdown text under <paramref name="tag"/>, shown by the text dashboard.</summary>
    public static ProtoWriter Text(string tag, string markdown)
    {
        var tensor = new ProtoWriter()
            .Int64(1, 7) // dtype: DT_STRING
            .Bytes(2, []) // tensor_shape: a scalar
            .Bytes(8, Encoding.UTF8.GetBytes(markdown)); // string_val
        var value = new ProtoWriter().String(Tag, tag).Message(Metadata, PluginMetadata("text", [])).Message(Tensor, tensor);
        return new ProtoWriter().Message(1, value);
    }

    /// <summary>The hparams plugin's session start: the run's hyperparameters (numbers as numbers).</summary>
    public static ProtoWriter HyperparametersStart(IReadOnlyDictionary<string, string> hyperparameters, DateTimeOffset started)
    {
        var start = new ProtoWriter();
        foreach (var (key, text) in hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                ? new ProtoWriter().Double(2, number) // google.protobuf.Value.number_value
                : new ProtoWriter().String(3, text); // string_value
            start.Message(1, new ProtoWriter().String(1, key).Message(2, value)); // map<string, Value> entry
        }
        start.Double(5, started.ToUnixTimeMilliseconds() / 1000.0); // start_time_secs
        byte[] content = new ProtoWriter().Int64(1, 0).Message(3, start).ToArray(); // HParamsPluginData { version, session_start_info }
        return HparamsSummary("_hparams_/session_start_info", content);
    }

    /// <summary>The hparams plugin's session end: success or failure.</summary>
    public static ProtoWriter HyperparametersEnd(bool succeeded)
    {
        var end = new ProtoWriter().Int64(1, succeeded ? 1 : 2).Double(2, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        byte[] content = new ProtoWriter().Int64(1, 0).Message(4, end).ToArray();
        return HparamsSummary("_hparams_/session_end_info", content);
    }

    private static ProtoWriter HparamsSummary(string tag, byte[] content) =>
        new ProtoWriter().Message(1, new ProtoWriter().String(Tag, tag).Message(Metadata, PluginMetadata("hparams", content)));

    // SummaryMetadata { plugin_data { plugin_name, content } }
    private static ProtoWriter PluginMetadata(string plugin, byte[] content) =>
        new ProtoWriter().Message(1, new ProtoWriter().String(1, plugin).Bytes(2, content));
}
