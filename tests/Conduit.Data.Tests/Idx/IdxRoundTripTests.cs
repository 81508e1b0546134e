using Conduit.DataSources.Idx;
using Conduit.Configuration;
using Conduit.Data.Tests.Support;
using Conduit.Host.Data;
using CsCheck;

namespace Conduit.Data.Tests.Idx;

/// <summary>What is written as IDX reads back: every type, any rank, gzip or not, with the shape rule, scale and shape.</summary>
public sealed class IdxRoundTripTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<byte, int, bool> TypesRanksAndCompression()
    {
        var data = new TheoryData<byte, int, bool>();
        foreach (byte type in IdxFiles.TypeCodes)
        {
            for (int rank = 1; rank <= 4; rank++)
            {
                data.Add(type, rank, false);
                data.Add(type, rank, true);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TypesRanksAndCompression))]
    public async Task Every_type_and_rank_reads_back_exactly_with_the_shape_rule(byte type, int rank, bool gzip)
    {
        int[] dims = new[] { 5, 2, 3, 4 }[..rank];
        double[] values = Values(type, dims.Aggregate(1, (p, d) => p * d));
        string path = IdxFiles.Write(Path.Combine(_temp.Path, gzip ? "t.idx.gz" : "t.idx"), type, dims, values, gzip);

        IDataset data = IdxSource.Open(("path", path));
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(data);

        int[] expectedShape = rank switch { 1 => [1], 2 => [2], 3 => [1, 2, 3], _ => [2, 3, 4] };
        Assert.Equal(expectedShape, data.Schema.FeatureShape.Dimensions.ToArray());
        Assert.Equal(5, data.Count);
        Assert.Equal(TargetKind.None, data.Schema.Target);
        Assert.Equal(Bits(values.Select(v => (float)v)), Bits(loaded.Features.ToArray()));
    }

    [Fact]
    public void Random_tensors_of_any_type_and_rank_read_back_exactly()
    {
        Gen<(byte Type, int[] Dims, double[] Values, bool Gzip)> tensors =
            Gen.Select(Gen.Int[0, IdxFiles.TypeCodes.Count - 1], Gen.Int[1, 6], Gen.Int[1, 4].Array[0, 4], Gen.Bool)
                .SelectMany(t =>
                {
                    byte type = IdxFiles.TypeCodes[t.Item1];
                    int[] dims = [t.Item2, .. t.Item3];
                    return ValueGen(type).Array[dims.Aggregate(1, (p, d) => p * d)].Select(values => (type, dims, values, t.Item4));
                });

        tensors.Sample(t =>
        {
            using var temp = new TempFolder();
            string path = IdxFiles.Write(Path.Combine(temp.Path, "t"), t.Type, t.Dims, t.Values, t.Gzip);

            IDataset data = IdxSource.Open(("path", path));
            InMemoryDataset loaded = InMemoryDataset.LoadAsync(data).GetAwaiter().GetResult();

            int[] example = t.Dims[1..];
            int[] expectedShape = example.Length switch { 0 => [1], 2 => [1, .. example], _ => example };
            Assert.Equal(expectedShape, data.Schema.FeatureShape.Dimensions.ToArray());
            Assert.Equal(t.Dims[0], data.Count);
            Assert.Equal(Bits(t.Values.Select(v => (float)v)), Bits(loaded.Features.ToArray()));
        }, iter: 200, print: t => $"type 0x{t.Type:X2}, dims [{string.Join(", ", t.Dims)}], gzip {t.Gzip}, values [{string.Join(", ", t.Values)}]");
    }

    [Theory]
    [InlineData(IdxFiles.UByte, 255)]
    [InlineData(IdxFiles.SByte, 127)]
    [InlineData(IdxFiles.Int16, 3)]
    [InlineData(IdxFiles.Float32, 0.1)]
    [InlineData(IdxFiles.Float64, 1e-3)]
    public void Features_are_the_values_divided_by_scale(byte type, double scale)
    {
        double[] values = Values(type, 256);
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), type, [256], values);

        float[] features = IdxSource.Load(("path", path), ("scale", scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture))).Features.ToArray();

        Assert.Equal(Bits(values.Select(v => (float)(ValueAsStored(type, v) / scale))), Bits(features));
    }

    [Fact]
    public void Bytes_scaled_by_255_lie_in_zero_to_one()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [1, 2, 2], [0, 51, 128, 255]);

        float[] features = IdxSource.Load(("path", path), ("scale", "255")).Features.ToArray();

        Assert.Equal([0f, 0.2f, 128f / 255f, 1f], features);
    }

    [Theory]
    [InlineData("3,4", new[] { 3, 4 })]
    [InlineData("12", new[] { 12 })]
    [InlineData("2,2,3", new[] { 2, 2, 3 })]
    public async Task Shape_regroups_the_same_values(string shape, int[] expected)
    {
        double[] values = [.. Enumerable.Range(0, 24).Select(i => (double)i)];
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [2, 2, 6], values);

        IDataset data = IdxSource.Open(("path", path), ("shape", shape));

        Assert.Equal(expected, data.Schema.FeatureShape.Dimensions.ToArray());
        Assert.Equal(values.Select(v => (float)v), (await InMemoryDataset.LoadAsync(data)).Features.ToArray());
    }

    [Fact]
    public void Shape_as_a_json_array_is_read_too()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [2, 12], new double[24]);

        IDataset data = IdxSource.Open(("path", path), ("shape:0", "3"), ("shape:1", "2"), ("shape:2", "2"));

        Assert.Equal([3, 2, 2], data.Schema.FeatureShape.Dimensions.ToArray());
    }

    [Fact]
    public async Task Classification_labels_become_class_indices_of_the_sorted_label_values()
    {
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [5, 1], [10, 11, 12, 13, 14]);
        string labels = IdxFiles.Write(Path.Combine(_temp.Path, "y.idx"), IdxFiles.Int16, [5], [10, -3, 2, 10, 2]);

        IDataset data = IdxSource.Open(("path", images), ("labels", labels));
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(data);

        Assert.Equal(TargetKind.Classification, data.Schema.Target);
        Assert.Equal(["-3", "2", "10"], data.Schema.ClassNames);
        Assert.Equal([2L, 0, 1, 2, 1], loaded.Classes.ToArray());
    }

    [Theory]
    [InlineData(IdxFiles.Float32, new[] { 3 })]
    [InlineData(IdxFiles.Int32, new[] { 3, 2 })]
    [InlineData(IdxFiles.Float64, new[] { 3, 1, 2 })]
    public async Task Regression_labels_are_float_targets_of_any_shape(byte type, int[] dims)
    {
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [3, 2], [1, 2, 3, 4, 5, 6]);
        double[] targets = [.. Enumerable.Range(0, dims.Aggregate(1, (p, d) => p * d)).Select(i => type == IdxFiles.Int32 ? i * 1000 - 2 : i + 0.5)];
        string labels = IdxFiles.Write(Path.Combine(_temp.Path, "y.idx"), type, dims, targets, gzip: true);

        IDataset data = IdxSource.Open(("path", images), ("labels", labels), ("task", "regression"));
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(data);

        Assert.Equal(TargetKind.Regression, data.Schema.Target);
        Assert.Empty(data.Schema.ClassNames);
        Assert.Equal(new TensorShape(3, targets.Length / 3), (await data.ReadAsync().FirstAsync()).Targets!.Shape);
        Assert.Equal(targets.Select(v => (float)v), loaded.Values.ToArray());
        Assert.Equal([1f, 2, 3, 4, 5, 6], loaded.Features.ToArray());
    }

    [Fact]
    public void Content_decides_compression_not_the_name()
    {
        double[] values = [1, 2, 3, 4];
        string plainNamedGz = IdxFiles.Write(Path.Combine(_temp.Path, "plain.idx.gz"), IdxFiles.UByte, [2, 2], values);
        string gzipUnnamed = IdxFiles.Write(Path.Combine(_temp.Path, "packed-idx1-ubyte"), IdxFiles.UByte, [2, 2], values, gzip: true);

        Assert.Equal([1f, 2, 3, 4], IdxSource.Load(("path", plainNamedGz)).Features.ToArray());
        Assert.Equal([1f, 2, 3, 4], IdxSource.Load(("path", gzipUnnamed)).Features.ToArray());
    }

    [Fact]
    public void The_host_takes_its_own_keys_first_and_the_source_refuses_what_neither_reads()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [2, 2], [1, 2, 3, 4]);
        SettingsReader settings = CsvFiles.Settings(("path", path), ("source", "idx"), ("batch_size", "32"), ("shuffle", "true"), ("drop_last", "false"),
            ("split:seed", "3"), ("normalize", "standardize"), ("validation_path", "v.idx"), ("test_path", "t.idx"),
            ("streaming", "auto"), ("shuffle_buffer", "100"), ("prefetch", "2"), ("in_memory_limit_mb", "10"));
        Conduit.Host.Data.DataSettings.Read(settings);

        Assert.Equal(2, new IdxDataSource().Open(settings).Count);
        Assert.StartsWith("data.label: unknown key; did you mean 'labels'?", IdxSource.Error(("path", path), ("label", "y.idx")), StringComparison.Ordinal);
    }

    // Edge values of each type first, then a spread of others.
    private static double[] Values(byte type, int count)
    {
        double[] edges = type switch
        {
            IdxFiles.UByte => [0, 255, 1, 128, 254],
            IdxFiles.SByte => [-128, 127, 0, -1, 1],
            IdxFiles.Int16 => [short.MinValue, short.MaxValue, 0, -1, 12345],
            IdxFiles.Int32 => [int.MinValue, int.MaxValue, 0, -1, 16_777_217],
            IdxFiles.Float32 => [float.MaxValue, float.Epsilon, -0.0, float.PositiveInfinity, float.NegativeInfinity, 1f / 3],
            _ => [1e300, 1e-300, -0.0, 0.1, double.NegativeInfinity, Math.PI],
        };
        var random = new Random(type * 31 + count);
        return [.. Enumerable.Range(0, count).Select(i => i < edges.Length ? edges[i] : type switch
        {
            IdxFiles.UByte => random.Next(256),
            IdxFiles.SByte => random.Next(-128, 128),
            IdxFiles.Int16 => random.Next(short.MinValue, short.MaxValue + 1),
            IdxFiles.Int32 => random.Next(int.MinValue, int.MaxValue),
            IdxFiles.Float32 => (float)((random.NextDouble() - 0.5) * 1e6),
            _ => (random.NextDouble() - 0.5) * 1e6,
        })];
    }

    private static Gen<double> ValueGen(byte type) => type switch
    {
        IdxFiles.UByte => Gen.Byte.Select(v => (double)v),
        IdxFiles.SByte => Gen.SByte.Select(v => (double)v),
        IdxFiles.Int16 => Gen.Short.Select(v => (double)v),
        IdxFiles.Int32 => Gen.Int.Select(v => (double)v),
        IdxFiles.Float32 => Gen.Float.Special.Where(v => !float.IsNaN(v)).Select(v => (double)v),
        _ => Gen.Double.Special.Where(v => !double.IsNaN(v)),
    };

    // What the writer stores for v: a float32 file holds (float)v.
    private static double ValueAsStored(byte type, double v) => type == IdxFiles.Float32 ? (float)v : v;

    // Bit patterns, so -0 and 0 differ and infinities compare exactly.
    private static int[] Bits(IEnumerable<float> values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
