using System.Buffers.Binary;

namespace Conduit.Benchmarks;

/// <summary>
/// The protobuf wire format read field by field, enough for TensorBoard's Event messages: how the tests and the
/// reliability benchmark read event files independently of the tensorboard plugin's writer.
/// </summary>
internal static class ProtobufWire
{
    /// <summary>The fields of <paramref name="message"/> in order: varint and fixed values in Number, length-delimited ones in Data.</summary>
    /// <exception cref="InvalidDataException">A wire type protobuf 3 does not use (groups).</exception>
    public static List<(int Field, int Wire, ulong Number, byte[]? Data)> Fields(byte[] message)
    {
        var fields = new List<(int, int, ulong, byte[]?)>();
        for (int at = 0; at < message.Length;)
        {
            ulong key = Varint(message, ref at);
            int field = (int)(key >> 3);
            int wire = (int)(key & 7);
            switch (wire)
            {
                case 0: fields.Add((field, wire, Varint(message, ref at), null)); break;
                case 1: fields.Add((field, wire, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(at)), null)); at += 8; break;
                case 5: fields.Add((field, wire, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at)), null)); at += 4; break;
                case 2:
                    int length = (int)Varint(message, ref at);
                    fields.Add((field, wire, 0, message.AsSpan(at, length).ToArray()));
                    at += length;
                    break;
                default: throw new InvalidDataException($"protobuf wire type {wire}");
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
