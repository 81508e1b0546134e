using System.Buffers.Binary;
using System.Text;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Parquet;

/// <summary>
/// Checks the bytes that frame a Parquet file before any parsing, so that a file of another format, an empty one or
/// one cut short is named as such: a Parquet file starts with <c>PAR1</c> and ends with the footer's length (4 bytes,
/// little-endian) and <c>PAR1</c>.
/// </summary>
internal static class ParquetFraming
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>Checks <paramref name="stream"/> (at its start, left there) as the file <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The file is compressed, empty, of another format or cut short.</exception>
    public static void Check(Stream stream, string name)
    {
        if (DataFile.IsCompressed(stream))
        {
            throw new InvalidDataException($"{name}: is gzip-compressed; expected an uncompressed Parquet file (Parquet compresses its own pages; decompress the file first)");
        }
        long length = stream.Length;
        if (length == 0)
        {
            throw new InvalidDataException($"{name}: the file is empty; expected a Parquet file (it starts and ends with 'PAR1')");
        }
        Span<byte> head = stackalloc byte[4];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (!head[..read].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name}: starts with {Show(head[..read])}, not 'PAR1'; expected a Parquet file (is it another format, such as CSV?)");
        }
        // The smallest file: magic, an empty footer's length, magic.
        if (length < 12)
        {
            throw new InvalidDataException($"{name}: ends after {length} bytes, before a Parquet footer; expected a complete Parquet file (is it cut short?)");
        }
        Span<byte> tail = stackalloc byte[8];
        stream.Seek(-tail.Length, SeekOrigin.End);
        stream.ReadExactly(tail);
        stream.Position = 0;
        if (!tail[4..].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name}: starts as a Parquet file but its {length} bytes do not end with 'PAR1'; expected a complete Parquet file (is it cut short, or still being written?)");
        }
        int footer = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footer <= 0 || footer > length - 12)
        {
            throw new InvalidDataException($"{name}: its footer is said to be {footer} bytes, but the file holds {length - 12} bytes between its 'PAR1' marks; expected a complete Parquet file (is it damaged?)");
        }
    }

    /// <summary>Bytes as messages show them: quoted when printable ASCII, else hexadecimal.</summary>
    private static string Show(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return $"bytes {Convert.ToHexString(bytes)}";
            }
        }
        return $"'{Encoding.ASCII.GetString(bytes)}'";
    }
}
