using System.Globalization;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>
/// The framing of a session's saved state: a magic and format version, the <see cref="SessionStateHeader"/>, then the
/// sections (weights and buffers, optimizer, schedule, random generator), then the magic again, so that a truncated or
/// foreign stream is recognised rather than half-loaded silently.
/// </summary>
internal static class SessionStateFormat
{
    private const int Version = 1;
    private static readonly byte[] Magic = "CONDUIT-TORCHSHARP-STATE"u8.ToArray();

    /// <summary>Writes the magic, the version and <paramref name="header"/>.</summary>
    public static void WriteHeader(BinaryWriter writer, SessionStateHeader header)
    {
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(header.Model);
        writer.Write(header.Optimizer);
        writer.Write(header.Schedule);
    }

    /// <summary>Reads what <see cref="WriteHeader"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The stream does not start with torchsharp session state of a known version.</exception>
    public static SessionStateHeader ReadHeader(BinaryReader reader)
    {
        ExpectMagic(reader, "it does not start with the torchsharp session state's magic");
        int version = reader.ReadInt32();
        if (version != Version)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The torchsharp session state has format version {version}; this plugin reads version {Version}."));
        }
        return new SessionStateHeader(reader.ReadString(), reader.ReadString(), reader.ReadString());
    }

    /// <summary>Writes the closing magic.</summary>
    public static void WriteTrailer(BinaryWriter writer) => writer.Write(Magic);

    /// <summary>Checks the closing magic.</summary>
    public static void ReadTrailer(BinaryReader reader) => ExpectMagic(reader, "its sections do not end where the format says");

    private static void ExpectMagic(BinaryReader reader, string problem)
    {
        byte[] bytes = reader.ReadBytes(Magic.Length);
        if (!bytes.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"The stream is not valid torchsharp session state: {problem}.");
        }
    }
}
