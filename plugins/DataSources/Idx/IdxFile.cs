using System.Buffers.Binary;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Idx;

/// <summary>An IDX file opened for one sequential read, positioned after its checked header.</summary>
internal sealed class IdxFile : IDisposable
{
    // Deflate's largest ratio: a 258-byte match coded in about 2 bits.
    private const long MaxInflation = 1032;

    private IdxFile(string name, Stream stream, IdxHeader header)
    {
        Name = name;
        Stream = stream;
        Header = header;
    }

    /// <summary>The file's name, as messages start.</summary>
    public string Name { get; }

    /// <summary>The values, after the header (decompressed).</summary>
    public Stream Stream { get; }

    /// <summary>The header.</summary>
    public IdxHeader Header { get; }

    /// <summary>Whether the file is gzip-compressed (recognized by its content).</summary>
    public bool IsCompressed => DataFile.IsCompressed(Stream);

    /// <summary>
    /// Opens <paramref name="path"/> (gzip decompressed), reads its header and checks the size the header declares
    /// against the file's length, or against a gzip file's recorded size; both cost a few bytes of reading, so a cut
    /// file fails here rather than halfway through training.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="key">The setting that names it, for the message of a missing file (<c>data.path</c>).</param>
    /// <exception cref="InvalidDataException">The file is missing, not IDX, or its size does not match its header.</exception>
    public static IdxFile Open(string path, string key)
    {
        string full = System.IO.Path.GetFullPath(path);
        string name = System.IO.Path.GetFileName(full);
        Stream stream = OpenStream(full, key);
        try
        {
            IdxHeader header = IdxHeader.Read(stream, name);
            if (DataFile.IsCompressed(stream))
            {
                CheckRecordedSize(full, name, header);
            }
            else
            {
                CheckLength(stream.Length, name, header);
            }
            return new IdxFile(name, stream, header);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the bytes of the examples from <paramref name="first"/> on (or a labels file's values for them), as many as
    /// fill <paramref name="buffer"/>: one read for a whole block, straight into the caller's memory.
    /// </summary>
    /// <exception cref="InvalidDataException">The data ends before them or cannot be inflated; the message names the example.</exception>
    public void ReadExamples(Span<byte> buffer, long first)
    {
        long exampleBytes = Math.Max(1, Header.ExampleBytes);
        int read = 0;
        try
        {
            // Inflating fails at the end of a read, whatever it covered: a gzip file is read an example at a time, so
            // that the failure names its example. A plain file is read at once.
            int most = IsCompressed ? (int)exampleBytes : buffer.Length;
            for (int n; read < buffer.Length && (n = Stream.Read(buffer.Slice(read, Math.Min(most, buffer.Length - read)))) > 0;)
            {
                read += n;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InvalidDataException($"{Name}: cannot be read in example {first + (read / exampleBytes)}: {e.Message}", e);
        }
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"{Name}: the data ends in example {first + (read / exampleBytes)}; the header declares {Header.Declared}; expected the whole file (is it cut short?)");
        }
    }

    /// <summary>
    /// Checks, after the last example, that nothing follows; for gzip this also reads the trailer, which
    /// <see cref="DataFile"/> compares with the bytes inflated.
    /// </summary>
    /// <exception cref="InvalidDataException">More data follows, or the gzip stream is damaged.</exception>
    public void CheckEnd()
    {
        Span<byte> extra = stackalloc byte[1];
        int read;
        try
        {
            read = Stream.Read(extra);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InvalidDataException($"{Name}: cannot be read after the last example ({Header.Examples - 1}): {e.Message}", e);
        }
        if (read > 0)
        {
            throw new InvalidDataException($"{Name}: the data continues after the {Header.Examples} examples the header declares ({Header.Declared}); expected the file to end there");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Stream.Dispose();

    // DataFile also inflates a file by its .gz name alone; an IDX file starts with 0x00 0x00, so trust the content.
    private static Stream OpenStream(string path, string key)
    {
        Stream stream = DataFile.OpenRead(path, $"an IDX file ({key})");
        if (!DataFile.IsCompressed(stream) || StartsWithGzipMagic(path))
        {
            return stream;
        }
        stream.Dispose();
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
    }

    private static bool StartsWithGzipMagic(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static void CheckLength(long length, string name, IdxHeader header)
    {
        long expected = header.FileBytes;
        if (length < expected)
        {
            long example = (length - header.Size) / Math.Max(1, header.ExampleBytes);
            throw new InvalidDataException($"{name}: the header declares {header.Declared}, but the file ends after {length} bytes, in example {example}; expected the whole file (is it cut short?)");
        }
        if (length > expected)
        {
            throw new InvalidDataException($"{name}: the header declares {header.Declared}, but the file has {length - expected} more bytes; expected exactly {expected}");
        }
    }

    // RFC 1952: a gzip member ends with the inflated size modulo 2^32 (little-endian). A cut file ends in other bytes.
    private static void CheckRecordedSize(string path, string name, IdxHeader header)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (file.Length < 18)
        {
            throw new InvalidDataException($"{name}: the gzip file has {file.Length} bytes, fewer than its header and trailer take (18); expected the whole file (is it cut short?)");
        }
        // Deflate inflates at most 1032 to 1: a header declaring more is lying or the file is cut, whatever the trailer
        // records (a trailer is 4 bytes anyone can write), and the reader must not allocate for the claim.
        if (header.FileBytes > file.Length * MaxInflation)
        {
            throw new InvalidDataException($"{name}: the header declares {header.Declared}, but a gzip file of {file.Length} bytes inflates to at most {file.Length * MaxInflation}; expected the whole file (is it cut short or damaged?)");
        }
        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        uint recorded = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (recorded != (uint)header.FileBytes)
        {
            throw new InvalidDataException($"{name}: the header declares {header.Declared}, but the gzip trailer records {recorded} bytes (modulo 4 GiB); expected {(uint)header.FileBytes} (is the file cut short or damaged?)");
        }
    }
}
