using Conduit.Data;

namespace Conduit.DataSources.Idx;

/// <summary>An IDX file opened for one sequential read, positioned after its checked header.</summary>
internal sealed class IdxFile : IDisposable
{
    private IdxFile(string name, Stream stream, IdxHeader header)
    {
        Name = name;
        Stream = stream;
        Header = header;
    }

    /// <summary>The file's name, as messages start.</summary>
    public string Name { get; }

    /// <summary>The values, after the header.</summary>
    public Stream Stream { get; }

    /// <summary>The header.</summary>
    public IdxHeader Header { get; }

    /// <summary>Opens <paramref name="path"/> (gzip decompressed), reads its header and checks an uncompressed file's length against it.</summary>
    /// <exception cref="InvalidDataException">The file is missing, not IDX, or shorter or longer than its header says.</exception>
    public static IdxFile Open(string path, string key)
    {
        string full = System.IO.Path.GetFullPath(path);
        string name = System.IO.Path.GetFileName(full);
        Stream stream = DataFile.OpenRead(full, $"an IDX file ({key})");
        try
        {
            IdxHeader header = IdxHeader.Read(stream, name);
            if (!DataFile.IsCompressed(stream))
            {
                long expected = header.Size + (header.Examples * header.ValuesPerExample * header.ValueSize);
                long length = stream.Length;
                if (length < expected)
                {
                    long example = (length - header.Size) / Math.Max(1, header.ValuesPerExample * header.ValueSize);
                    throw new InvalidDataException($"{name}: the header declares {header.Examples} examples of {header.TypeName} shape {header.Shape} ({expected} bytes), but the file ends after {length} bytes, in example {example}; expected the whole file (is it cut short?)");
                }
                if (length > expected)
                {
                    throw new InvalidDataException($"{name}: the header declares {header.Examples} examples of {header.TypeName} shape {header.Shape} ({expected} bytes), but the file has {length - expected} more bytes; expected exactly {expected}");
                }
            }
            return new IdxFile(name, stream, header);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads the next <paramref name="buffer"/>'s worth of example <paramref name="example"/>.</summary>
    /// <exception cref="InvalidDataException">The file ends before it: a compressed file cut short.</exception>
    public void ReadExample(Span<byte> buffer, long example)
    {
        try
        {
            Stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{Name}: the data ends in example {example} of the {Header.Examples} its header declares (shape {Header.Shape}); expected the whole file (is it cut short?)");
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InvalidDataException($"{Name}: cannot be read in example {example}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Stream.Dispose();
}
