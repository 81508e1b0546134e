using Conduit.Data.Tests.Support;
using Conduit.DataSources.Idx;
using CsCheck;

namespace Conduit.Data.Tests.Idx;

public sealed class IdxSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IDataset Open(params (string Key, string? Value)[] settings) => new IdxDataSource().Open(CsvFiles.Settings(settings));

    private static string Error(params (string Key, string? Value)[] settings) => Assert.Throws<InvalidDataException>(() => Open(settings)).Message;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_digits_as_an_mnist_pair_read_back_as_the_csv_holds_them(bool gzip)
    {
        (string images, string labels) = IdxFiles.WriteDigitsAsIdx(_temp.Path, gzip);
        InMemoryDataset csv = CsvFiles.Load(CsvFiles.Sample("digits.csv"));

        IDataset idx = Open(("path", images), ("labels", labels));
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(idx);

        Assert.Equal(new TensorShape(1, 8, 8), idx.Schema.FeatureShape);
        Assert.Equal(1797, idx.Count);
        Assert.Equal(csv.Schema.ClassNames, idx.Schema.ClassNames);
        Assert.Equal(csv.Features.ToArray(), loaded.Features.ToArray());
        Assert.Equal(csv.Classes.ToArray(), loaded.Classes.ToArray());
    }

    [Fact]
    public void Any_type_and_rank_reads_back_exactly()
    {
        byte[] types = [IdxFiles.UByte, IdxFiles.SByte, IdxFiles.Int16, IdxFiles.Int32, IdxFiles.Float32, IdxFiles.Float64];
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 4], Gen.Int[1, 5], Gen.Int[1, 3], Gen.Bool, Gen.Int).Sample((t, rank, n, side, gzip, seed) =>
        {
            byte type = types[t];
            int[] dims = [n, .. Enumerable.Repeat(side, rank - 1)];
            var random = new Random(seed);
            double[] values = [.. Enumerable.Range(0, dims.Aggregate(1, (p, d) => p * d)).Select(_ => type switch
            {
                IdxFiles.UByte => random.Next(256),
                IdxFiles.SByte => random.Next(-128, 128),
                IdxFiles.Int16 => random.Next(-32768, 32768),
                IdxFiles.Int32 => random.Next(-1_000_000, 1_000_000),
                _ => (float)(random.NextDouble() * 200 - 100),
            })];
            using var temp = new TempFolder();
            string path = IdxFiles.Write(Path.Combine(temp.Path, "t.idx"), type, dims, values, gzip);

            IDataset data = Open(("path", path));
            InMemoryDataset loaded = InMemoryDataset.LoadAsync(data).GetAwaiter().GetResult();

            Assert.Equal(values.Select(v => (float)v), loaded.Features.ToArray());
            Assert.Equal(rank switch { 1 => [1], 2 => [side], 3 => [1, side, side], _ => Enumerable.Repeat(side, rank - 1).ToArray() }, data.Schema.FeatureShape.Dimensions.ToArray());
        }, iter: 100);
    }

    [Fact]
    public async Task Scale_and_shape_apply_and_regression_labels_are_values()
    {
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [2, 2, 2], [0, 255, 51, 102, 0, 0, 0, 255]);
        string targets = IdxFiles.Write(Path.Combine(_temp.Path, "y.idx"), IdxFiles.Float32, [2, 2], [0.5, 1.5, 2.5, 3.5]);

        IDataset data = Open(("path", images), ("labels", targets), ("task", "regression"), ("scale", "0.00392156862745098"), ("shape", "4"));
        float[] features = (await InMemoryDataset.LoadAsync(data)).Features.ToArray();
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(data);

        Assert.Equal(new TensorShape(4), data.Schema.FeatureShape);
        Assert.Equal(1f, features[1], 1e-6f);
        Assert.Equal(0.2f, features[2], 1e-6f);
        Assert.Equal([0.5f, 1.5f, 2.5f, 3.5f], loaded.Values.ToArray());
    }

    [Fact]
    public void Bad_files_are_named_with_the_place_and_what_was_expected()
    {
        string empty = _temp.Write("empty.idx", "");
        string csv = _temp.Write("digits.csv", "a,b\n1,2\n");
        string type = Path.Combine(_temp.Path, "type.idx");
        File.WriteAllBytes(type, [0, 0, 0x07, 1, 0, 0, 0, 0]);
        string rank0 = Path.Combine(_temp.Path, "rank0.idx");
        File.WriteAllBytes(rank0, [0, 0, 0x08, 0]);
        string good = IdxFiles.Write(Path.Combine(_temp.Path, "cut.idx"), IdxFiles.UByte, [10, 4, 4], new double[160]);
        byte[] bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(good, bytes[..^20]);
        string longer = IdxFiles.Write(Path.Combine(_temp.Path, "long.idx"), IdxFiles.UByte, [2, 2], new double[5]);

        Assert.Equal($"{Path.Combine(_temp.Path, "nope.idx")}: the file does not exist; expected an IDX file (data.path)", Error(("path", Path.Combine(_temp.Path, "nope.idx"))));
        Assert.Equal("empty.idx: the file is empty; expected an IDX header (0x00 0x00, a type code, the number of dimensions)", Error(("path", empty)));
        Assert.Equal("digits.csv: byte 0 is 0x61; expected 0x00 (an IDX file starts with two zero bytes; is this the right file?)", Error(("path", csv)));
        Assert.Equal("type.idx: byte 2 (the type code) is 0x07; expected one of 0x08 (ubyte), 0x09 (sbyte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64)", Error(("path", type)));
        Assert.Equal("rank0.idx: byte 3 (the number of dimensions) is 0; expected at least 1 (the first dimension counts the examples)", Error(("path", rank0)));
        Assert.Equal("cut.idx: the header declares 10 examples of ubyte shape [10, 4, 4] (176 bytes), but the file ends after 156 bytes, in example 8; expected the whole file (is it cut short?)", Error(("path", good)));
        Assert.Equal("long.idx: the header declares 2 examples of ubyte shape [2, 2] (16 bytes), but the file has 1 more bytes; expected exactly 16", Error(("path", longer)));
    }

    [Fact]
    public async Task A_truncated_gzip_file_fails_naming_the_example()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "cut.idx.gz"), IdxFiles.UByte, [2000, 8, 8], [.. Enumerable.Range(0, 128_000).Select(i => (double)(i * 7919 % 256))], gzip: true);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        IDataset data = Open(("path", path));
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => InMemoryDataset.LoadAsync(data));

        Assert.Matches(@"^cut\.idx\.gz: (the data ends in example \d+ of the 2000|cannot be read in example \d+: the gzip data ends)", e.Message);
    }

    [Fact]
    public void Labels_must_match_the_examples_and_be_integer_classes()
    {
        string images = IdxFiles.Write(Path.Combine(_temp.Path, "x.idx"), IdxFiles.UByte, [3, 2], new double[6]);
        string three = IdxFiles.Write(Path.Combine(_temp.Path, "three.idx"), IdxFiles.Float32, [3], [1, 2, 3]);
        string two = IdxFiles.Write(Path.Combine(_temp.Path, "two.idx"), IdxFiles.UByte, [2], [1, 2]);

        Assert.Equal("two.idx: 2 labels, but the features file has 3 examples; expected one label per example (data.labels)", Error(("path", images), ("labels", two)));
        Assert.Equal("three.idx: labels of float32 shape [3]; expected one integer class label per example (rank 1 ubyte, sbyte, int16 or int32), or task: regression", Error(("path", images), ("labels", three)));
    }

    [Fact]
    public async Task NaN_values_stop_by_default_and_are_skipped_or_filled_when_the_job_says_so()
    {
        string path = IdxFiles.Write(Path.Combine(_temp.Path, "nan.idx"), IdxFiles.Float32, [3, 2], [1, 2, double.NaN, 4, 5, 6]);

        Assert.Equal("nan.idx: example 1, value 0 is NaN; expected a number (missing values are not filled in unless data.missing is skip or fill)", Error(("path", path)));
        IDataset skipped = Open(("path", path), ("missing", "skip"));
        Assert.Equal(2, skipped.Count);
        Assert.Equal(new[] { 1f, 2f, 5f, 6f }, (await InMemoryDataset.LoadAsync(skipped)).Features.ToArray());
        Assert.Equal(new[] { 1f, 2f, 0f, 4f, 5f, 6f }, (await InMemoryDataset.LoadAsync(Open(("path", path), ("missing", "fill")))).Features.ToArray());
    }
}
