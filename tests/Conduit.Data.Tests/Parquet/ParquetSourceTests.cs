using Conduit.Data.Tests.Support;
using Conduit.DataSources.Parquet;
using Parquet.Schema;

namespace Conduit.Data.Tests.Parquet;

public sealed class ParquetSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IDataset Open(params (string Key, string? Value)[] settings) => new ParquetDataSource().Open(CsvFiles.Settings(settings));

    private static string Error(params (string Key, string? Value)[] settings) => Assert.Throws<InvalidDataException>(() => Open(settings)).Message;

    private Task<string> Small(string name, params (DataField Field, Array Values)[] columns) => ParquetFiles.WriteAsync(Path.Combine(_temp.Path, name), 2, columns);

    [Fact]
    public async Task A_parquet_copy_of_the_digits_reads_as_the_csv_does_row_group_by_row_group()
    {
        string path = await ParquetFiles.WriteDigitsAsync(Path.Combine(_temp.Path, "digits.parquet"), rowGroupSize: 500);
        InMemoryDataset csv = CsvFiles.Load(CsvFiles.Sample("digits.csv"));

        var parquet = (StreamingDataset)Open(("path", path), ("label", "label"));
        int[] blocks = [.. parquet.ReadExamplesAsync().ToBlockingEnumerable().Select(b => b.Count)];
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(parquet);

        Assert.Equal([500, 500, 500, 297], blocks);
        Assert.Equal(csv.Schema, loaded.Schema with { FeatureNames = csv.Schema.FeatureNames, ClassNames = csv.Schema.ClassNames });
        Assert.Equal(csv.Schema.FeatureNames, loaded.Schema.FeatureNames);
        Assert.Equal(csv.Schema.ClassNames, loaded.Schema.ClassNames);
        Assert.Equal(csv.Features.ToArray(), loaded.Features.ToArray());
        Assert.Equal(csv.Classes.ToArray(), loaded.Classes.ToArray());
    }

    [Fact]
    public async Task Regression_unlabelled_and_shaped_data_read_back()
    {
        string path = await Small("r.parquet",
            (new DataField<float>("a"), new float[] { 1, 2, 3, 4 }),
            (new DataField<int>("b"), new[] { 5, 6, 7, 8 }),
            (new DataField<float>("y"), new float[] { 0.5f, 1.5f, 2.5f, 3.5f }));

        InMemoryDataset regression = await InMemoryDataset.LoadAsync(Open(("path", path), ("label", "y"), ("task", "regression")));
        InMemoryDataset unlabelled = await InMemoryDataset.LoadAsync(Open(("path", path), ("features", "b,a"), ("shape", "1,2")));

        Assert.Equal(new float[] { 1, 5, 2, 6, 3, 7, 4, 8 }, regression.Features.ToArray());
        Assert.Equal(new[] { 0.5f, 1.5f, 2.5f, 3.5f }, regression.Values.ToArray());
        Assert.Equal(TargetKind.None, unlabelled.Schema.Target);
        Assert.Equal(new TensorShape(1, 2), unlabelled.Schema.FeatureShape);
        Assert.Equal(new float[] { 5, 1, 6, 2, 7, 3, 8, 4 }, unlabelled.Features.ToArray());
    }

    [Fact]
    public async Task Missing_values_stop_with_the_place_or_are_skipped_or_filled()
    {
        string path = await Small("gaps.parquet",
            (new DataField<double?>("a"), new double?[] { 1, null, 3, double.NaN, 5 }),
            (new DataField<string>("label"), new[] { "x", "y", "x", "y", "x" }));

        Assert.Equal("gaps.parquet: row group 0, row 2, column 'a': is missing (null or NaN); expected a number (missing values are not filled in unless data.missing is skip or fill)",
            Error(("path", path), ("label", "label")));
        IDataset skipped = Open(("path", path), ("label", "label"), ("missing", "skip"));
        Assert.Equal(3, skipped.Count);
        Assert.Equal(new float[] { 1, 3, 5 }, (await InMemoryDataset.LoadAsync(skipped)).Features.ToArray());
        Assert.Equal(new float[] { 1, -1, 3, -1, 5 }, (await InMemoryDataset.LoadAsync(Open(("path", path), ("label", "label"), ("missing", "fill"), ("fill_value", "-1")))).Features.ToArray());
        Assert.Equal(3, Open(("path", path), ("label", "label"), ("on_error", "skip")).Count);
    }

    [Fact]
    public async Task A_null_label_is_never_filled()
    {
        string path = await Small("labels.parquet",
            (new DataField<float>("a"), new float[] { 1, 2, 3 }),
            (new DataField<string>("label"), new[] { "x", null!, "y" }));

        Assert.Equal("labels.parquet: row group 0, row 2, column 'label': is missing (null or NaN); expected a label (a missing label is never filled in)",
            Error(("path", path), ("label", "label"), ("missing", "fill")));
    }

    [Fact]
    public async Task Columns_are_checked_by_name_and_type_before_any_row_is_read()
    {
        string path = await Small("cols.parquet",
            (new DataField<float>("a"), new float[] { 1, 2 }),
            (new DataField<string>("name"), new[] { "p", "q" }),
            (new DataField<bool>("flag"), new[] { true, false }),
            (new DataField<string>("label"), new[] { "x", "y" }));

        Assert.Equal("cols.parquet: label column 'lable' does not exist; expected a name or zero-based index (0 to 3) of the columns: a (Single), name (string), flag (Boolean), label (string)",
            Error(("path", path), ("label", "lable")));
        Assert.Equal("cols.parquet: feature column 'name' is of type string; expected a number type (float, double or an integer)",
            Error(("path", path), ("label", "label"), ("features", "a,name")));
        Assert.Equal("cols.parquet: label column 'label' is of type string; expected a number type for a regression target",
            Error(("path", path), ("label", "label"), ("task", "regression")));
        Assert.Equal(["a"], Open(("path", path), ("label", "label")).Schema.FeatureNames);
    }

    [Fact]
    public async Task Missing_empty_foreign_and_cut_files_are_named()
    {
        string empty = _temp.Write("empty.parquet", "");
        string csv = _temp.Write("digits.parquet", "a,b\n1,2\n");
        string good = await ParquetFiles.WriteDigitsAsync(Path.Combine(_temp.Path, "cut.parquet"), 500);
        byte[] bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(good, bytes[..^100]);
        string none = await Small("none.parquet", (new DataField<float>("a"), Array.Empty<float>()), (new DataField<string>("label"), Array.Empty<string>()));

        Assert.Equal($"{Path.Combine(_temp.Path, "nope.parquet")}: the file does not exist; expected a Parquet file (data.path)", Error(("path", Path.Combine(_temp.Path, "nope.parquet"))));
        Assert.Equal("empty.parquet: the file is empty; expected a Parquet file (it starts and ends with 'PAR1')", Error(("path", empty)));
        Assert.StartsWith("digits.parquet: is not a readable Parquet file (", Error(("path", csv)), StringComparison.Ordinal);
        Assert.StartsWith("cut.parquet: is not a readable Parquet file (", Error(("path", good), ("label", "label")), StringComparison.Ordinal);
        Assert.Equal("none.parquet: the file has no rows; expected at least one", Error(("path", none), ("label", "label")));
    }
}
