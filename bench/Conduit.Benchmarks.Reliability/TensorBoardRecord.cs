using System.Buffers.Binary;
using System.Text;

namespace Conduit.Benchmarks.Reliability;

/// <summary>
/// The scalars of a version folder's TensorBoard event files as TensorBoard shows them: files in name order, a
/// truncated last record (a process killed mid-write) ignored as TensorBoard ignores it, and a session restart
/// (SessionLog START) at step s discarding what earlier events recorded at steps s and later
/// (EventAccumulator._CheckForRestartAndMaybePurge keeps <c>step &lt; s</c>).
/// </summary>
internal static class TensorBoardRecord
{
    public static List<(long Step, string Tag, double Value)> Read(string folder)
    {
        var scalars = new List<(long Step, string Tag, double Value)>();
        foreach (string file in Directory.GetFiles(folder, "events.out.tfevents.*").Order(StringComparer.Ordinal))
        {
            foreach (byte[] payload in Records(File.ReadAllBytes(file)))
            {
                long step = 0;
                bool restart = false;
                var values = new List<(string, double)>();
                foreach (var (field, _, number, data) in ProtobufWire.Fields(payload))
                {
                    if (field == 2) step = (long)number;
                    if (field == 5) values.AddRange(ProtobufWire.Fields(data!).Where(f => f.Field == 1).Select(f => Scalar(f.Data!)).OfType<(string, double)>());
                    if (field == 6) restart = ProtobufWire.Fields(data!).Any(f => f.Field == 1 && f.Number == 1);
                }
                if (restart)
                {
                    scalars.RemoveAll(s => s.Step >= step);
                }
                scalars.AddRange(values.Select(v => (step, v.Item1, v.Item2)));
            }
        }
        return scalars;
    }

    // TFRecord framing: length (8), its CRC (4), payload, its CRC (4); a record cut short ends the file.
    private static IEnumerable<byte[]> Records(byte[] bytes)
    {
        for (int at = 0; at + 12 <= bytes.Length;)
        {
            long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            if (at + 12 + length + 4 > bytes.Length)
            {
                yield break;
            }
            yield return bytes.AsSpan(at + 12, (int)length).ToArray();
            at += 12 + (int)length + 4;
        }
    }

    private static (string, double)? Scalar(byte[] value)
    {
        string? tag = null;
        double? scalar = null;
        foreach (var (field, _, number, data) in ProtobufWire.Fields(value))
        {
            if (field == 1) tag = Encoding.UTF8.GetString(data!);
            if (field == 2) scalar = BitConverter.Int32BitsToSingle((int)number);
        }
        return tag is not null && scalar is not null ? (tag, scalar.Value) : null;
    }
}
