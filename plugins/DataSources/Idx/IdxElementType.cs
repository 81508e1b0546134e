using System.Buffers.Binary;

namespace Conduit.DataSources.Idx;

/// <summary>The type of an IDX file's values, named by byte 2 of its header.</summary>
/// <param name="Code">The type code.</param>
/// <param name="Name">The name messages use.</param>
/// <param name="Size">The bytes of one value.</param>
/// <param name="IsInteger">Whether values are integers (class labels can be); otherwise floating point, which may be NaN.</param>
internal sealed record IdxElementType(byte Code, string Name, int Size, bool IsInteger)
{
    /// <summary>Unsigned bytes (MNIST's images and labels).</summary>
    public static readonly IdxElementType UByte = new(0x08, "ubyte", 1, true);

    /// <summary>Signed bytes.</summary>
    public static readonly IdxElementType SByte = new(0x09, "sbyte", 1, true);

    /// <summary>Big-endian 16-bit integers.</summary>
    public static readonly IdxElementType Int16 = new(0x0B, "int16", 2, true);

    /// <summary>Big-endian 32-bit integers.</summary>
    public static readonly IdxElementType Int32 = new(0x0C, "int32", 4, true);

    /// <summary>Big-endian IEEE single precision.</summary>
    public static readonly IdxElementType Float32 = new(0x0D, "float32", 4, false);

    /// <summary>Big-endian IEEE double precision.</summary>
    public static readonly IdxElementType Float64 = new(0x0E, "float64", 8, false);

    /// <summary>Every type, in code order.</summary>
    public static IReadOnlyList<IdxElementType> All { get; } = [UByte, SByte, Int16, Int32, Float32, Float64];

    /// <summary>The codes as a message lists them: <c>0x08 (ubyte), ...</c>.</summary>
    public static string Expected { get; } = string.Join(", ", All.Select(t => $"0x{t.Code:X2} ({t.Name})"));

    /// <summary>Whether values are floating point (and may be NaN, a missing value).</summary>
    public bool IsFloat => !IsInteger;

    /// <summary>The type of code <paramref name="code"/>, or null when IDX has none.</summary>
    public static IdxElementType? FromCode(byte code) => All.FirstOrDefault(t => t.Code == code);

    /// <summary>Value <paramref name="index"/> of big-endian <paramref name="bytes"/>.</summary>
    public double Read(ReadOnlySpan<byte> bytes, int index) => Code switch
    {
        0x08 => bytes[index],
        0x09 => (sbyte)bytes[index],
        0x0B => BinaryPrimitives.ReadInt16BigEndian(bytes[(2 * index)..]),
        0x0C => BinaryPrimitives.ReadInt32BigEndian(bytes[(4 * index)..]),
        0x0D => BinaryPrimitives.ReadSingleBigEndian(bytes[(4 * index)..]),
        _ => BinaryPrimitives.ReadDoubleBigEndian(bytes[(8 * index)..]),
    };
}
