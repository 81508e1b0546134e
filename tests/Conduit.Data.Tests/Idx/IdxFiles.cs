using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Conduit.Data.Tests.Support;
using Conduit.DataSources.Csv;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Idx;

/// <summary>Writes IDX files (the MNIST layout) for tests, gzip-compressed or not.</summary>
internal static class IdxFiles
{
    public const byte UByte = 0x08;
    public const byte SByte = 0x09;
    public const byte Int16 = 0x0B;
    public const byte Int32 = 0x0C;
    public const byte Float32 = 0x0D;
    public const byte Float64 = 0x0E;

    /// <summary>Every type code, in order.</summary>
    public static IReadOnlyList<byte> TypeCodes { get; } = [UByte, SByte, Int16, Int32, Float32, Float64];

    /// <summary>Writes <paramref name="values"/> (row-major) as type <paramref name="typeCode"/> with dimensions <paramref name="dims"/>; returns the path.</summary>
    /// <remarks>Values are converted as a C# cast would; pass values the type holds.</remarks>
    public static string Write(string path, byte typeCode, int[] dims, ReadOnlySpan<double> values, bool gzip = false)
    {
        using var output = new MemoryStream();
        output.Write([0, 0, typeCode, (byte)dims.Length]);
        Span<byte> word = stackalloc byte[8];
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            output.Write(word[..4]);
        }
        foreach (double v in values)
        {
            switch (typeCode)
            {
                case UByte: output.WriteByte((byte)v); break;
                case SByte: output.WriteByte((byte)(sbyte)v); break;
                case Int16: BinaryPrimitives.WriteInt16BigEndian(word, (short)v); output.Write(word[..2]); break;
                case Int32: BinaryPrimitives.WriteInt32BigEndian(word, (int)v); output.Write(word[..4]); break;
                case Float32: BinaryPrimitives.WriteSingleBigEndian(word, (float)v); output.Write(word[..4]); break;
                case Float64: BinaryPrimitives.WriteDoubleBigEndian(word, v); output.Write(word[..8]); break;
                default: throw new ArgumentOutOfRangeException(nameof(typeCode), $"0x{typeCode:X2} is not an IDX type code.");
            }
        }
        WriteBytes(path, output.ToArray(), gzip);
        return path;
    }

    /// <summary>Writes <paramref name="bytes"/> as they are, or as one gzip member.</summary>
    public static void WriteBytes(string path, byte[] bytes, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(path, bytes);
            return;
        }
        using var file = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        file.Write(bytes);
    }

    /// <summary>
    /// Writes a classification dataset in MNIST's layout: images as ubyte <c>[N, height, width]</c>, labels as ubyte
    /// <c>[N]</c> holding each example's class name (which must be an integer 0..255, as MNIST's digits are).
    /// </summary>
    /// <exception cref="ArgumentException">The data is not classification, has another number of features, or a pixel or class is not a byte.</exception>
    public static void WriteMnistLike(string imagesPath, string labelsPath, InMemoryDataset data, int height, int width, bool gzip = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Schema.Target != TargetKind.Classification || data.Schema.FeatureShape.ElementCount != height * width)
        {
            throw new ArgumentException($"Expected classification data of {height}x{width} features; got {data.Schema.Target} of shape {data.Schema.FeatureShape}.", nameof(data));
        }
        var pixels = new double[data.Features.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            float p = data.Features[i];
            pixels[i] = p is >= 0 and <= 255 && p == MathF.Floor(p) ? p : throw new ArgumentException($"Feature value {i} is {p}; expected an integer 0..255.", nameof(data));
        }
        byte[] classLabels = [.. data.Schema.ClassNames.Select(name =>
            byte.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out byte b) ? b : throw new ArgumentException($"Class '{name}' is not an integer 0..255.", nameof(data)))];
        var labels = new double[data.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = classLabels[data.Classes[i]];
        }
        Write(imagesPath, UByte, [data.Length, height, width], pixels, gzip);
        Write(labelsPath, UByte, [data.Length], labels, gzip);
    }

    /// <summary>
    /// Turns the digits CSV (1797 8x8 images: columns p0..p63 with values 0..16, then <c>label</c>) into an MNIST-layout
    /// pair in <paramref name="folder"/>: images ubyte <c>[N, 8, 8]</c> and labels ubyte <c>[N]</c>.
    /// </summary>
    /// <exception cref="InvalidDataException">The CSV's header is not the digits' (checked, so a changed sample fails loudly here).</exception>
    internal static (string Images, string Labels) WriteDigitsAsIdx(string csvPath, string folder, bool gzip)
    {
        string[] header = File.ReadLines(csvPath).First().Split(',');
        string[] expected = [.. Enumerable.Range(0, 64).Select(i => $"p{i}"), "label"];
        if (!header.SequenceEqual(expected))
        {
            throw new InvalidDataException($"{csvPath}: the header is '{string.Join(",", header)}'; expected p0..p63 and label");
        }
        IDataset csv = new CsvDataSource().Open(CsvFiles.Settings(("path", csvPath), ("label", "label")));
        InMemoryDataset digits = InMemoryDataset.LoadAsync(csv).GetAwaiter().GetResult();
        string suffix = gzip ? ".gz" : "";
        string images = Path.Combine(folder, "digits-images-idx3-ubyte" + suffix);
        string labels = Path.Combine(folder, "digits-labels-idx1-ubyte" + suffix);
        WriteMnistLike(images, labels, digits, 8, 8, gzip);
        return (images, labels);
    }

    /// <summary>The digits sample copied next to the tests (samples/digits.csv), as <see cref="WriteDigitsAsIdx(string, string, bool)"/> writes it.</summary>
    internal static (string Images, string Labels) WriteDigitsAsIdx(string folder, bool gzip) =>
        WriteDigitsAsIdx(CsvFiles.Sample("digits.csv"), folder, gzip);
}
