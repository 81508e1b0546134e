using System.Buffers.Binary;

namespace Conduit.DataSources.Idx;

/// <summary>
/// The header of an IDX file (the MNIST format): two zero bytes, a type code, the number of dimensions, then each
/// dimension as a big-endian 32-bit integer; the values follow, row-major and big-endian. The first dimension counts
/// the examples.
/// </summary>
/// <param name="Type">The values' type.</param>
/// <param name="Dimensions">The dimensions, examples first.</param>
internal sealed record IdxHeader(IdxElementType Type, int[] Dimensions)
{
    /// <summary>The bytes before the data.</summary>
    public int Size => 4 + (4 * Dimensions.Length);

    /// <summary>The number of examples (the first dimension).</summary>
    public long Examples => Dimensions[0];

    /// <summary>The dimensions of one example (all but the first).</summary>
    public ReadOnlySpan<int> ExampleDimensions => Dimensions.AsSpan(1);

    /// <summary>The values of one example (the product of the other dimensions).</summary>
    public long ValuesPerExample => Dimensions.Skip(1).Aggregate(1L, (p, d) => p * d);

    /// <summary>The bytes of one example.</summary>
    public long ExampleBytes => ValuesPerExample * Type.Size;

    /// <summary>The bytes the header says the whole file holds, header included.</summary>
    public long FileBytes => Size + (Examples * ExampleBytes);

    /// <summary>The shape as messages write it: <c>[60000, 28, 28]</c>.</summary>
    public string Shape => "[" + string.Join(", ", Dimensions) + "]";

    /// <summary>What the header declares, as messages say it: <c>10 examples of ubyte shape [10, 4, 4] (176 bytes)</c>.</summary>
    public string Declared => $"{Examples} examples of {Type.Name} shape {Shape} ({FileBytes} bytes)";

    /// <summary>Reads and checks a header.</summary>
    /// <param name="stream">The file, at its start (decompressed).</param>
    /// <param name="file">The file's name, as messages start.</param>
    /// <exception cref="InvalidDataException">The bytes are not an IDX header; the message names the byte, its value and what was expected.</exception>
    public static IdxHeader Read(Stream stream, string file)
    {
        Span<byte> magic = stackalloc byte[4];
        int read = ReadUpTo(stream, magic, file);
        if (read == 0)
        {
            throw new InvalidDataException($"{file}: the file is empty; expected an IDX header (0x00 0x00, a type code, the number of dimensions)");
        }
        if (read < 4)
        {
            throw new InvalidDataException($"{file}: the file ends after {read} bytes, inside the IDX header; expected at least 4 (0x00 0x00, a type code, the number of dimensions)");
        }
        for (int i = 0; i < 2; i++)
        {
            if (magic[i] != 0)
            {
                throw new InvalidDataException($"{file}: byte {i} is 0x{magic[i]:X2}; expected 0x00 (an IDX file starts with two zero bytes; is this the right file?)");
            }
        }
        IdxElementType type = IdxElementType.FromCode(magic[2])
            ?? throw new InvalidDataException($"{file}: byte 2 (the type code) is 0x{magic[2]:X2}; expected one of {IdxElementType.Expected}");
        int rank = magic[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{file}: byte 3 (the number of dimensions) is 0; expected at least 1 (the first dimension counts the examples)");
        }
        var dimensionBytes = new byte[4 * rank];
        read = ReadUpTo(stream, dimensionBytes, file);
        if (read < dimensionBytes.Length)
        {
            throw new InvalidDataException($"{file}: the file ends after {4 + read} bytes, inside the header; expected {rank} dimensions of 4 bytes each after byte 3 ({4 + dimensionBytes.Length} bytes)");
        }
        var dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(4 * i));
            if (dimensions[i] < 0 || (i > 0 && dimensions[i] == 0))
            {
                throw new InvalidDataException($"{file}: dimension {i} (bytes {4 + (4 * i)}-{7 + (4 * i)}) is {dimensions[i]}; expected {(i == 0 ? "0 or more examples" : "at least 1")}");
            }
        }
        // BatchBuilder holds an example's features in one array; an example beyond that cannot train anyway. The product
        // is checked as it grows: dimensions such as [1, 65536, 65536, 65536, 65536] overflow a long to 0.
        long exampleBytes = type.Size;
        foreach (int d in dimensions[1..])
        {
            exampleBytes *= d;
            if (exampleBytes > Array.MaxLength)
            {
                string values = dimensions[1..].Aggregate(System.Numerics.BigInteger.One, (p, v) => p * v).ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new InvalidDataException($"{file}: one example of shape [{string.Join(", ", dimensions[1..])}] holds {values} values of {type.Size} bytes; expected at most {Array.MaxLength} bytes per example");
            }
        }
        return new IdxHeader(type, dimensions);
    }

    // A gzip stream that cannot be inflated throws while the header is read; name the file, as every message does.
    private static int ReadUpTo(Stream stream, Span<byte> buffer, string file)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new InvalidDataException($"{file}: the header cannot be read: {e.Message}", e);
        }
    }
}
