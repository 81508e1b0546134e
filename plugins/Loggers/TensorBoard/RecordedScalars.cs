using System.Buffers.Binary;
using System.Text;

namespace Conduit.Loggers.TensorBoard;

/// <summary>
/// Reads back what this logger's earlier event files in a folder show at one step, as TensorBoard reads them: files in
/// name order, a session restart at step s discarding earlier events at steps s and later, and a record cut short (a
/// process killed mid-write) ending its file.
/// </summary>
internal static class RecordedScalars
{
    // tensorflow.Event and Summary fields.
    private const int StepField = 2;
    private const int SummaryField = 5;
    private const int SessionLogField = 6;

    /// <summary>The scalar tags recorded at <paramref name="step"/> by the event files in <paramref name="folder"/>.</summary>
    public static HashSet<string> At(string folder, long step)
    {
        var recorded = new List<(long Step, string Tag)>();
        foreach (string file in Directory.GetFiles(folder, "events.out.tfevents.*").Order(StringComparer.Ordinal))
        {
            foreach (byte[] payload in Records(File.ReadAllBytes(file)))
            {
                var fields = Fields(payload);
                long at = fields.Where(f => f.Field == StepField).Select(f => (long)f.Number).LastOrDefault();
                if (fields.Any(f => f.Field == SessionLogField && Fields(f.Data!).Any(s => s.Field == 1 && s.Number == 1)))
                {
                    recorded.RemoveAll(r => r.Step >= at);
                }
                recorded.AddRange(fields.Where(f => f.Field == SummaryField)
                    .SelectMany(f => Fields(f.Data!)).Where(v => v.Field == 1)
                    .Select(v => Fields(v.Data!))
                    .Where(v => v.Any(f => f.Field == 2)) // simple_value: a scalar
                    .Select(v => (at, Encoding.UTF8.GetString(v.First(f => f.Field == 1).Data!))));
            }
        }
        return [.. recorded.Where(r => r.Step == step).Select(r => r.Tag)];
    }

    private static IEnumerable<byte[]> Records(byte[] bytes)
    {
        for (long at = 0; at + 12 <= bytes.Length;)
        {
            long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)at));
            if (length < 0 || at + 12 + length + 4 > bytes.Length)
            {
                yield break;
            }
            yield return bytes.AsSpan((int)at + 12, (int)length).ToArray();
            at += 12 + length + 4;
        }
    }

    private static List<(int Field, ulong Number, byte[]? Data)> Fields(byte[] message)
    {
        var fields = new List<(int, ulong, byte[]?)>();
        for (int at = 0; at < message.Length;)
        {
            ulong key = Varint(message, ref at);
            switch (key & 7)
            {
                case 0: fields.Add(((int)(key >> 3), Varint(message, ref at), null)); break;
                case 1: at += 8; break;
                case 5: fields.Add(((int)(key >> 3), BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at)), null)); at += 4; break;
                case 2:
                    int length = (int)Varint(message, ref at);
                    fields.Add(((int)(key >> 3), 0, message.AsSpan(at, length).ToArray()));
                    at += length;
                    break;
                default: throw new InvalidDataException($"an event file record with protobuf wire type {key & 7}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
