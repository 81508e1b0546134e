using System.Buffers.Binary;
using System.IO.Compression;
using Conduit.Data.Tests.Support;

namespace Conduit.Data.Tests.Idx;

/// <summary>Writes IDX files (the MNIST layout) for tests.</summary>
internal static class IdxFiles
{
    public const byte UByte = 0x08;
    public const byte SByte = 0x09;
    public const byte Int16 = 0x0B;
    public const byte Int32 = 0x0C;
    public const byte Float32 = 0x0D;
    public const byte Float64 = 0x0E;

    /// <summary>Writes <paramref name="values"/> (row-major) as type <paramref name="type"/> with dimensions <paramref name="dims"/>.</summary>
    public static string Write(string path, byte type, int[] dims, IReadOnlyList<double> values, bool gzip = false)
    {
        using var output = new MemoryStream();
        output.Write([0, 0, type, (byte)dims.Length]);
        Span<byte> word = stackalloc byte[8];
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            output.Write(word[..4]);
        }
        foreach (double v in values)
        {
            switch (type)
            {
                case UByte: output.WriteByte((byte)v); break;
                case SByte: output.WriteByte((byte)(sbyte)v); break;
                case Int16: BinaryPrimitives.WriteInt16BigEndian(word, (short)v); output.Write(word[..2]); break;
                case Int32: BinaryPrimitives.WriteInt32BigEndian(word, (int)v); output.Write(word[..4]); break;
                case Float32: BinaryPrimitives.WriteSingleBigEndian(word, (float)v); output.Write(word[..4]); break;
                default: BinaryPrimitives.WriteDoubleBigEndian(word, v); output.Write(word[..8]); break;
            }
        }
        if (gzip)
        {
            using var file = new GZipStream(File.Create(path), CompressionLevel.Fastest);
            output.Position = 0;
            output.CopyTo(file);
        }
        else
        {
            File.WriteAllBytes(path, output.ToArray());
        }
        return path;
    }

    /// <summary>The digits as an MNIST-layout pair: images ubyte [N, 8, 8] (pixels 0..16) and labels ubyte [N].</summary>
    public static (string Images, string Labels) WriteDigitsAsIdx(string folder, bool gzip)
    {
        InMemoryDataset digits = CsvFiles.Load(CsvFiles.Sample("digits.csv"));
        string suffix = gzip ? ".gz" : "";
        string images = Write(Path.Combine(folder, "digits-images-idx3-ubyte" + suffix), UByte, [digits.Length, 8, 8], [.. digits.Features.ToArray().Select(v => (double)v)], gzip);
        string labels = Write(Path.Combine(folder, "digits-labels-idx1-ubyte" + suffix), UByte, [digits.Length],
            [.. digits.Classes.ToArray().Select(c => double.Parse(digits.Schema.ClassNames[(int)c], System.Globalization.CultureInfo.InvariantCulture))], gzip);
        return (images, labels);
    }
}
