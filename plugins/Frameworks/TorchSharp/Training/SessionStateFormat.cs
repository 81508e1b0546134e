using System.Globalization;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>
/// The framing of a session's saved state: a magic and format version, the <see cref="SessionStateHeader"/>, the
/// payload's length and the payload (weights and buffers, optimizer, schedule, random generator), then the magic
/// again. A foreign, truncated or mismatched stream is recognised before anything is loaded into the session.
/// </summary>
internal static class SessionStateFormat
{
    private const int Version = 1;
    private static readonly byte[] Magic = "CONDUIT-TORCHSHARP-STATE"u8.ToArray();

    /// <summary>Writes <paramref name="header"/> and <paramref name="payload"/>, framed.</summary>
    public static void Write(BinaryWriter writer, SessionStateHeader header, ReadOnlySpan<byte> payload)
    {
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(header.Model);
        writer.Write(header.Optimizer);
        writer.Write(header.Schedule);
        writer.Write((long)payload.Length);
        writer.Write(payload);
        writer.Write(Magic);
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The stream is not torchsharp session state of a known version, or is cut short.</exception>
    public static (SessionStateHeader Header, byte[] Payload) Read(BinaryReader reader)
    {
        try
        {
            ExpectMagic(reader, "it does not start with the torchsharp session state's magic");
            int version = reader.ReadInt32();
            if (version != Version)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The torchsharp session state has format version {version}; this plugin reads version {Version}."));
            }
            var header = new SessionStateHeader(reader.ReadString(), reader.ReadString(), reader.ReadString());
            long length = reader.ReadInt64();
            if (length is < 0 or > int.MaxValue)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The stream is not valid torchsharp session state: a payload of {length} bytes."));
            }
            byte[] payload = reader.ReadBytes((int)length);
            if (payload.Length != length)
            {
                throw new EndOfStreamException();
            }
            ExpectMagic(reader, "it does not end where its length says");
            return (header, payload);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The torchsharp session state is cut short.", e);
        }
    }

    private static void ExpectMagic(BinaryReader reader, string problem)
    {
        byte[] bytes = reader.ReadBytes(Magic.Length);
        if (bytes.Length < Magic.Length && bytes.AsSpan().SequenceEqual(Magic.AsSpan(0, bytes.Length)))
        {
            throw new EndOfStreamException();
        }
        if (!bytes.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"The stream is not valid torchsharp session state: {problem}.");
        }
    }
}
