using System.Buffers.Binary;
using System.Text;
using Conduit.Benchmarks;

namespace Conduit.Host.Tests.Tracking;

/// <summary>
/// Reads TensorBoard event files written by the tensorboard logger, independently of it: checks every record's two
/// masked CRC-32C values (a table-driven CRC of its own) and decodes the Event fields the tests look at (the wire
/// format through the benchmarks' <see cref="ProtobufWire"/>).
/// </summary>
internal static class EventFileReader
{
    public sealed record Event(double WallTime, long Step, string? FileVersion, bool Restart, IReadOnlyList<(string Tag, float? Scalar, string? Plugin)> Values);

    private static readonly uint[] Table = BuildTable();

    public static List<Event> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        int at = 0;
        while (at < bytes.Length)
        {
            ReadOnlySpan<byte> header = bytes.AsSpan(at, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            Assert.Equal(Masked(header), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            ReadOnlySpan<byte> payload = bytes.AsSpan(at + 12, (int)length);
            Assert.Equal(Masked(payload), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length)));
            events.Add(Decode(payload));
            at += 12 + (int)length + 4;
        }
        return events;
    }

    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), masked as TFRecord masks it.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return ~crc;
    }

    private static Event Decode(ReadOnlySpan<byte> payload)
    {
        double wall = 0;
        long step = 0;
        string? version = null;
        bool restart = false;
        var values = new List<(string, float?, string?)>();
        foreach (var (field, wire, number, data) in ProtobufWire.Fields(payload.ToArray()))
        {
            switch (field)
            {
                case 1 when wire == 1: wall = BitConverter.Int64BitsToDouble((long)number); break;
                case 2: step = (long)number; break;
                case 3: version = Encoding.UTF8.GetString(data!); break;
                case 5: values.AddRange(ProtobufWire.Fields(data!).Where(f => f.Field == 1).Select(f => Value(f.Data!))); break;
                case 6: restart = ProtobufWire.Fields(data!).Any(f => f.Field == 1 && f.Number == 1); break;
            }
        }
        return new Event(wall, step, version, restart, values);
    }

    private static (string, float?, string?) Value(byte[] value)
    {
        string tag = "";
        float? scalar = null;
        string? plugin = null;
        foreach (var (field, _, number, data) in ProtobufWire.Fields(value))
        {
            if (field == 1) tag = Encoding.UTF8.GetString(data!);
            if (field == 2) scalar = BitConverter.Int32BitsToSingle((int)number);
            if (field == 9) plugin = ProtobufWire.Fields(ProtobufWire.Fields(data!).First(f => f.Field == 1).Data!).Where(f => f.Field == 1).Select(f => Encoding.UTF8.GetString(f.Data!)).FirstOrDefault();
        }
        return (tag, scalar, plugin);
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0x82F63B78 ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
