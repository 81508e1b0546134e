using System.Buffers.Binary;
using System.Numerics;

namespace Conduit.Loggers.TensorBoard;

/// <summary>
/// A TensorBoard event file: TFRecord framing (the payload's length as 8 bytes little-endian, the masked CRC-32C of
/// those 8 bytes, the payload, the masked CRC-32C of the payload) around serialized <c>Event</c> protos.
/// </summary>
internal sealed class EventFileWriter : IDisposable
{
    // tensorflow.Event fields.
    private const int WallTime = 1;
    private const int Step = 2;
    private const int FileVersion = 3;
    private const int SummaryField = 5;
    private const int SessionLogField = 6;

    private readonly FileStream _file;

    public EventFileWriter(string path)
    {
        Path = path;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        Write(Event(0).String(FileVersion, "brain.Event:2"));
    }

    public string Path { get; }

    /// <summary>An event at <paramref name="step"/>, stamped with the current wall time.</summary>
    public static ProtoWriter Event(long step) =>
        new ProtoWriter().Double(WallTime, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).Int64(Step, step);

    /// <summary>Writes an event holding <paramref name="summary"/>.</summary>
    public void WriteSummary(long step, ProtoWriter summary) => Write(Event(step).Message(SummaryField, summary));

    /// <summary>
    /// A session restart at <paramref name="step"/>: TensorBoard then discards what earlier files recorded at that
    /// step and after it, so a resumed run shows each step once.
    /// </summary>
    public void WriteRestart(long step) => Write(Event(step).Message(SessionLogField, new ProtoWriter().Int64(1, 1))); // SessionLog.status = START

    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();

    /// <summary>The CRC-32C of <paramref name="data"/>, masked as TFRecord does so that CRCs of CRCs stay strong.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8;
    }

    private void Write(ProtoWriter message)
    {
        byte[] payload = message.ToArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C(payload));
        _file.Write(header);
        _file.Write(payload);
        _file.Write(footer);
    }
}
