using Conduit.Data.Tests.Support;
using Conduit.Host.Data;
using static Conduit.Data.Tests.Parquet.ParquetColumn;

namespace Conduit.Data.Tests.Parquet;

public sealed class ParquetTypeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private Task<string> WriteAsync(string name, params ParquetColumn[] columns) => ParquetFiles.WriteAsync(Path.Combine(_temp.Path, name), 2, columns);

    [Fact]
    public async Task Every_number_type_reads_as_float_whether_required_or_optional()
    {
        ParquetColumn[] required =
        [
            Of<sbyte>("i8", -1, 2, 127), Of<byte>("u8", 1, 2, 255), Of<short>("i16", -300, 2, 3), Of<ushort>("u16", 1, 2, 65535),
            Of<int>("i32", -70000, 2, 3), Of<uint>("u32", 1, 2, 4000000000), Of<long>("i64", -1L << 40, 2, 3), Of<ulong>("u64", 1, 2, 1UL << 63),
            Of<float>("f32", 0.25f, -2, 3), Of<double>("f64", 1e-3, 2, 1e30),
        ];
        ParquetColumn[] optional =
        [
            Optional<sbyte>("oi8", -1, null, 3), Optional<byte>("ou8", 1, null, 3), Optional<short>("oi16", 1, null, 3), Optional<ushort>("ou16", 1, null, 3),
            Optional<int>("oi32", 1, null, 3), Optional<uint>("ou32", 1, null, 3), Optional<long>("oi64", 1, null, 3), Optional<ulong>("ou64", 1, null, 3),
            Optional<float>("of32", 1, null, 3), Optional<double>("of64", 1, null, 3),
        ];
        string path = await WriteAsync("types.parquet", [.. required, .. optional]);

        InMemoryDataset data = await ParquetSource.LoadAsync(path, ("missing", "fill"), ("fill_value", "-9"));

        Assert.Equal([.. required.Select(c => c.Field.Name), .. optional.Select(c => c.Field.Name)], data.Schema.FeatureNames);
        float[] features = data.Features.ToArray();
        Assert.Equal(new float[] { -1, 1, -300, 1, -70000, 1, -(1L << 40), 1, 0.25f, 1e-3f, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, features[..20]);
        Assert.Equal(new float[] { 2, 2, 2, 2, 2, 2, 2, 2, -2, 2, -9, -9, -9, -9, -9, -9, -9, -9, -9, -9 }, features[20..40]);
        Assert.Equal(new float[] { 127, 255, 3, 65535, 3, 4e9f, 3, 1UL << 63, 3, 1e30f, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3 }, features[40..]);
    }

    [Theory]
    [InlineData("10,9,-1,2,9")]
    [InlineData("b,B,a,10,9")]
    [InlineData("18446744073709551615,1,2")]
    public async Task Classes_are_named_and_ordered_as_the_csv_source_orders_them(string list)
    {
        string[] labels = list.Split(',');
        float[] feature = [.. labels.Select((_, i) => (float)i)];
        string csv = _temp.Write("labels.csv", "a,label\n" + string.Concat(labels.Select((l, i) => $"{i},{l}\n")));
        ParquetColumn label = labels.All(l => long.TryParse(l, out _)) ? Of("label", [.. labels.Select(long.Parse)])
            : labels.All(l => ulong.TryParse(l, out _)) ? Of("label", [.. labels.Select(ulong.Parse)])
            : Text("label", labels);
        string path = await WriteAsync("labels.parquet", Of("a", feature), label);

        InMemoryDataset fromCsv = CsvFiles.Load(csv);
        InMemoryDataset fromParquet = await ParquetSource.LoadAsync(path, ("label", "label"));

        Assert.Equal(fromCsv.Schema.ClassNames, fromParquet.Schema.ClassNames);
        Assert.Equal(fromCsv.Classes.ToArray(), fromParquet.Classes.ToArray());
        Assert.Equal(labels, fromParquet.Classes.ToArray().Select(c => fromParquet.Schema.ClassNames[(int)c]));
    }

    [Fact]
    public async Task Integer_labels_of_any_width_and_their_text_read_as_the_same_classes()
    {
        string bytes = await WriteAsync("bytes.parquet", Of<float>("a", 1, 2, 3), Of<byte>("label", 3, 1, 3));
        string optional = await WriteAsync("optional.parquet", Of<float>("a", 1, 2, 3), Optional<short>("label", 3, 1, 3));
        string text = await WriteAsync("text.parquet", Of<float>("a", 1, 2, 3), RequiredText("label", "3", "1", "3"));

        InMemoryDataset fromBytes = await ParquetSource.LoadAsync(bytes, ("label", "label"));
        InMemoryDataset fromOptional = await ParquetSource.LoadAsync(optional, ("label", "label"));

        Assert.Equal(["1", "3"], fromBytes.Schema.ClassNames);
        Assert.Equal([1L, 0, 1], fromBytes.Classes.ToArray());
        Assert.Equal(fromBytes.Schema.ClassNames, fromOptional.Schema.ClassNames);
        Assert.Equal(fromBytes.Classes.ToArray(), fromOptional.Classes.ToArray());
        InMemoryDataset fromText = await ParquetSource.LoadAsync(text, ("label", "label"));
        Assert.Equal(fromBytes.Schema.ClassNames, fromText.Schema.ClassNames);
        Assert.Equal(fromBytes.Classes.ToArray(), fromText.Classes.ToArray());
    }

    [Fact]
    public async Task Regression_reads_a_number_target_of_any_type()
    {
        string path = await WriteAsync("r.parquet",
            Of<float>("a", 1, 2, 3, 4), Of<int>("b", 5, 6, 7, 8), Of<double>("y", 0.5, 1.5, 2.5, 3.5), Optional<long>("n", 10, 20, 30, 40));

        InMemoryDataset doubles = await ParquetSource.LoadAsync(path, ("label", "y"), ("task", "regression"));
        InMemoryDataset integers = await ParquetSource.LoadAsync(path, ("label", "n"), ("task", "regression"), ("features", "a"));

        Assert.Equal(TargetKind.Regression, doubles.Schema.Target);
        Assert.Equal(["a", "b", "n"], doubles.Schema.FeatureNames);
        Assert.Equal(new float[] { 1, 5, 10, 2, 6, 20, 3, 7, 30, 4, 8, 40 }, doubles.Features.ToArray());
        Assert.Equal(new[] { 0.5f, 1.5f, 2.5f, 3.5f }, doubles.Values.ToArray());
        Assert.Equal(new float[] { 1, 2, 3, 4 }, integers.Features.ToArray());
        Assert.Equal(new float[] { 10, 20, 30, 40 }, integers.Values.ToArray());
    }

    [Fact]
    public async Task Without_a_label_the_data_is_unlabelled_and_features_follow_the_order_asked()
    {
        string path = await WriteAsync("u.parquet", Of<float>("a", 1, 2, 3), Of<int>("b", 4, 5, 6), Text("name", "x", "y", "z"));

        IDataset data = ParquetSource.Open(path, ("features:0", "b"), ("features:1", "a"));
        DataBatch first = await data.ReadAsync().FirstAsync();

        Assert.Equal(TargetKind.None, data.Schema.Target);
        Assert.Empty(data.Schema.ClassNames);
        Assert.Null(first.Targets);
        Assert.Equal(new float[] { 4, 1, 5, 2, 6, 3 }, (await InMemoryDataset.LoadAsync(data)).Features.ToArray());
        Assert.Equal(["a", "b"], ParquetSource.Open(path).Schema.FeatureNames);
    }
}
