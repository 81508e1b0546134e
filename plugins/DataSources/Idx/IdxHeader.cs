using System.Buffers.Binary;

namespace Conduit.DataSources.Idx;

/// <summary>
/// The header of an IDX file (the MNIST format): two zero bytes, a type code, the number of dimensions, then each
/// dimension as a big-endian 32-bit integer; the values follow, row-major and big-endian. The first dimension counts
/// the examples.
/// </summary>
internal sealed record IdxHeader(byte TypeCode, int[] Dimensions)
{
    /// <summary>The bytes before the data.</summary>
    public int Size => 4 + (4 * Dimensions.Length);

    /// <summary>The number of examples (the first dimension).</summary>
    public long Examples => Dimensions[0];

    /// <summary>The bytes of one value.</summary>
    public int ValueSize => SizeOf(TypeCode);

    /// <summary>The values of one example (the product of the other dimensions).</summary>
    public long ValuesPerExample => Dimensions.Skip(1).Aggregate(1L, (p, d) => p * d);

    /// <summary>Whether values are integers (class labels can be).</summary>
    public bool IsInteger => TypeCode is 0x08 or 0x09 or 0x0B or 0x0C;

    /// <summary>Whether values are floating point (and may be NaN).</summary>
    public bool IsFloat => TypeCode is 0x0D or 0x0E;

    /// <summary>The type's name, as messages say it.</summary>
    public string TypeName => NameOf(TypeCode);

    /// <summary>The shape as messages write it: <c>[60000, 28, 28]</c>.</summary>
    public string Shape => "[" + string.Join(", ", Dimensions) + "]";

    /// <summary>Reads and checks a header.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an IDX header; the message names the byte and what was expected.</exception>
    public static IdxHeader Read(Stream stream, string file)
    {
        Span<byte> magic = stackalloc byte[4];
        int read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (read == 0)
        {
            throw new InvalidDataException($"{file}: the file is empty; expected an IDX header (0x00 0x00, a type code, the number of dimensions)");
        }
        if (read < 4)
        {
            throw new InvalidDataException($"{file}: the file ends after {read} bytes, inside the IDX header; expected at least 4");
        }
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new InvalidDataException($"{file}: byte {(magic[0] != 0 ? 0 : 1)} is 0x{magic[magic[0] != 0 ? 0 : 1]:X2}; expected 0x00 (an IDX file starts with two zero bytes; is this the right file?)");
        }
        if (SizeOf(magic[2]) == 0)
        {
            throw new InvalidDataException($"{file}: byte 2 (the type code) is 0x{magic[2]:X2}; expected one of 0x08 (ubyte), 0x09 (sbyte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64)");
        }
        int rank = magic[3];
        if (rank == 0)
        {
            throw new InvalidDataException($"{file}: byte 3 (the number of dimensions) is 0; expected at least 1 (the first dimension counts the examples)");
        }
        var dimensionBytes = new byte[4 * rank];
        if (stream.ReadAtLeast(dimensionBytes, dimensionBytes.Length, throwOnEndOfStream: false) < dimensionBytes.Length)
        {
            throw new InvalidDataException($"{file}: the file ends inside the header; expected {rank} dimensions of 4 bytes each after byte 3");
        }
        var dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(4 * i));
            if (dimensions[i] < 0 || (i > 0 && dimensions[i] == 0))
            {
                throw new InvalidDataException($"{file}: dimension {i} is {dimensions[i]}; expected {(i == 0 ? "0 or more examples" : "at least 1")}");
            }
        }
        return new IdxHeader(magic[2], dimensions);
    }

    /// <summary>Converts big-endian values to doubles, as many as <paramref name="values"/> holds.</summary>
    public void Decode(ReadOnlySpan<byte> bytes, Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = TypeCode switch
            {
                0x08 => bytes[i],
                0x09 => (sbyte)bytes[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(bytes[(2 * i)..]),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(bytes[(4 * i)..]),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(bytes[(4 * i)..]),
                _ => BinaryPrimitives.ReadDoubleBigEndian(bytes[(8 * i)..]),
            };
        }
    }

    /// <summary>Converts big-endian values to floats times <paramref name="scale"/> (unsigned bytes, MNIST's images, take a fast path).</summary>
    public void Decode(ReadOnlySpan<byte> bytes, Span<float> values, float scale)
    {
        if (TypeCode == 0x08)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = bytes[i] * scale;
            }
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            double value = TypeCode switch
            {
                0x09 => (sbyte)bytes[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(bytes[(2 * i)..]),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(bytes[(4 * i)..]),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(bytes[(4 * i)..]),
                _ => BinaryPrimitives.ReadDoubleBigEndian(bytes[(8 * i)..]),
            };
            values[i] = (float)(value * scale);
        }
    }

    private static int SizeOf(byte type) => type switch
    {
        0x08 or 0x09 => 1,
        0x0B => 2,
        0x0C or 0x0D => 4,
        0x0E => 8,
        _ => 0,
    };

    private static string NameOf(byte type) => type switch
    {
        0x08 => "ubyte",
        0x09 => "sbyte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        _ => "float64",
    };
}
