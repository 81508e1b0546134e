using Conduit.Configuration;
using System.IO.Compression;
using Conduit.Data.Tests.Support;
using Conduit.DataSources.Parquet;
using Conduit.Host.Data;
using static Conduit.Data.Tests.Parquet.ParquetColumn;

namespace Conduit.Data.Tests.Parquet;

public sealed class ParquetErrorTests : IDisposable
{
    private const string NotFilled = "expected a number (missing values are not filled in unless data.missing is skip or fill)";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private Task<string> WriteAsync(string name, params ParquetColumn[] columns) => ParquetFiles.WriteAsync(Path.Combine(_temp.Path, name), 2, columns);

    private static void Flip(byte[] bytes, int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            bytes[i] ^= 0xFF;
        }
    }

    private async Task<string> DigitsAsync(string name)
    {
        string path = Path.Combine(_temp.Path, name);
        await ParquetFiles.WriteDigitsParquetAsync(CsvFiles.Sample("digits.csv"), path, 500);
        return path;
    }

    [Fact]
    public void A_missing_file_is_named_with_its_full_path()
    {
        string path = Path.Combine(_temp.Path, "nope.parquet");

        Assert.Equal($"{path}: the file does not exist; expected a Parquet file (data.path)", ParquetSource.Error(path));
        Assert.Equal($"{_temp.Path}: is a folder; expected a Parquet file (data.path)", ParquetSource.Error(_temp.Path));
    }

    [Fact]
    public void An_empty_file_is_named()
    {
        string path = _temp.Write("empty.parquet", "");

        Assert.Equal("empty.parquet: the file is empty; expected a Parquet file (it starts and ends with 'PAR1')", ParquetSource.Error(path));
    }

    [Fact]
    public void A_csv_file_renamed_is_not_taken_for_parquet()
    {
        string path = _temp.Write("renamed.parquet", File.ReadAllText(CsvFiles.Sample("digits.csv")));

        Assert.Equal("renamed.parquet: starts with 'p0,p', not 'PAR1'; expected a Parquet file (is it another format, such as CSV?)",
            ParquetSource.Error(path, ("label", "label")));
    }

    [Fact]
    public async Task A_gzip_compressed_parquet_file_is_named_as_such()
    {
        string parquet = await DigitsAsync("digits.parquet");
        string path = Path.Combine(_temp.Path, "digits.parquet.gz");
        await using (FileStream file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(await File.ReadAllBytesAsync(parquet));
        }

        Assert.Equal("digits.parquet.gz: is gzip-compressed; expected an uncompressed Parquet file (Parquet compresses its own pages; decompress the file first)",
            ParquetSource.Error(path, ("label", "label")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(2000)]
    [InlineData(100_000)]
    public async Task A_file_cut_short_is_refused_when_opened(int cut)
    {
        string path = await DigitsAsync("cut.parquet");
        byte[] bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..^cut]);

        Assert.Equal($"cut.parquet: starts as a Parquet file but its {bytes.Length - cut} bytes do not end with 'PAR1'; expected a complete Parquet file (is it cut short, or still being written?)",
            ParquetSource.Error(path, ("label", "label")));
    }

    [Fact]
    public async Task A_file_cut_to_its_first_bytes_is_refused_when_opened()
    {
        string path = await DigitsAsync("cut.parquet");
        byte[] bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..6]);

        Assert.Equal("cut.parquet: ends after 6 bytes, before a Parquet footer; expected a complete Parquet file (is it cut short?)",
            ParquetSource.Error(path, ("label", "label")));
    }

    [Fact]
    public async Task A_damaged_footer_is_refused_when_opened()
    {
        string path = await DigitsAsync("damaged.parquet");
        byte[] bytes = await File.ReadAllBytesAsync(path);
        int footer = BitConverter.ToInt32(bytes, bytes.Length - 8);
        Flip(bytes, bytes.Length - 8 - footer, footer);
        await File.WriteAllBytesAsync(path, bytes);

        Assert.StartsWith("damaged.parquet: its footer cannot be read (", ParquetSource.Error(path, ("label", "label")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Damaged_column_data_is_found_when_opened_and_named_by_row_group_and_column()
    {
        string path = await DigitsAsync("damaged.parquet");
        byte[] bytes = await File.ReadAllBytesAsync(path);
        Flip(bytes, bytes.Length / 3, 200);
        await File.WriteAllBytesAsync(path, bytes);

        Assert.Matches(@"^damaged\.parquet: row group \d, column '(p\d+|label)' cannot be read \(.+\); expected an intact Parquet file$",
            ParquetSource.Error(path, ("label", "label")));
    }

    [Fact]
    public async Task A_file_without_rows_is_refused()
    {
        string path = await WriteAsync("none.parquet", Of("a", Array.Empty<float>()), Text("label"));

        Assert.Equal("none.parquet: the file has no rows; expected at least one", ParquetSource.Error(path, ("label", "label")));
    }

    [Fact]
    public async Task A_missing_column_is_named_with_the_columns_there_are()
    {
        string path = await WriteAsync("cols.parquet", Of<float>("a", 1, 2), Text("name", "p", "q"), Of("flag", true, false), Text("label", "x", "y"));
        const string Columns = "the columns: a (Single), name (string), flag (Boolean), label (string)";

        Assert.Equal($"cols.parquet: label column 'lable' does not exist; expected a name or zero-based index (0 to 3) of {Columns}",
            ParquetSource.Error(path, ("label", "lable")));
        Assert.Equal($"cols.parquet: feature column 'b' does not exist; expected a name or zero-based index (0 to 3) of {Columns}",
            ParquetSource.Error(path, ("label", "label"), ("features", "a,b")));
    }

    [Theory]
    [InlineData("name", "string")]
    [InlineData("flag", "Boolean")]
    public async Task A_feature_column_that_is_not_numbers_is_named_with_its_type(string column, string type)
    {
        string path = await WriteAsync("cols.parquet", Of<float>("a", 1, 2), Text("name", "p", "q"), Of("flag", true, false), Text("label", "x", "y"));

        Assert.Equal($"cols.parquet: feature column '{column}' is of type {type}; expected a number type (float, double or an integer)",
            ParquetSource.Error(path, ("label", "label"), ("features", $"a,{column}")));
        Assert.Equal(["a"], ParquetSource.Open(path, ("label", "label")).Schema.FeatureNames);
    }

    [Fact]
    public async Task A_label_column_of_the_wrong_type_is_named()
    {
        string path = await WriteAsync("labels.parquet", Of<float>("a", 1, 2), Of("flag", true, false), Text("label", "x", "y"), Of<double>("score", 0.5, 1));

        Assert.Equal("labels.parquet: label column 'label' is of type string; expected a number type for a regression target",
            ParquetSource.Error(path, ("label", "label"), ("task", "regression")));
        Assert.Equal("labels.parquet: label column 'flag' is of type Boolean; expected text or integers for classes, or task: regression",
            ParquetSource.Error(path, ("label", "flag")));
        Assert.Equal("labels.parquet: label column 'score' is of type Double; expected text or integers for classes, or task: regression",
            ParquetSource.Error(path, ("label", "score")));
        Assert.Equal("labels.parquet: feature column 'label' is the label column; expected data.features without it",
            ParquetSource.Error(path, ("label", "label"), ("features", "a,label")));
    }

    [Fact]
    public async Task Bad_settings_are_named_by_key()
    {
        string path = await WriteAsync("s.parquet", Of<float>("a", 1, 2), Text("label", "x", "y"));

        Assert.Equal("data.path: is missing; expected the Parquet file to read, such as data/digits.parquet",
            Assert.Throws<InvalidDataException>(() => new ParquetDataSource().Open(CsvFiles.Settings(("label", "label")))).Message);
        Assert.Equal("data.task: 'clustering' is not allowed; expected one of classification, regression", ParquetSource.Error(path, ("task", "clustering")));
        Assert.Equal("data.on_error: 'ignore' is not allowed; expected one of stop, skip", ParquetSource.Error(path, ("on_error", "ignore")));
    }

    [Fact]
    public async Task The_host_takes_its_own_keys_first_and_the_source_refuses_what_neither_reads()
    {
        string path = await WriteAsync("s.parquet", Of<float>("a", 1, 2), Text("label", "x", "y"));
        SettingsReader settings = CsvFiles.Settings(("path", path), ("label", "label"), ("source", "parquet"), ("batch_size", "32"), ("shuffle", "true"),
            ("drop_last", "false"), ("split:seed", "3"), ("normalize", "standardize"), ("streaming", "auto"), ("shuffle_buffer", "100"),
            ("prefetch", "2"), ("in_memory_limit_mb", "64"), ("validation_path", "v.parquet"), ("test_path", "t.parquet"));
        Conduit.Host.Data.DataSettings.Read(settings);

        Assert.Equal(2, new ParquetDataSource().Open(settings).Count);
        Assert.Equal("data.lable: unknown key; did you mean 'label'? expected one of path, label, features, task, shape, on_error, missing, fill_value",
            ParquetSource.Error(path, ("label", "label"), ("lable", "x")));
    }

    [Fact]
    public async Task A_null_or_nan_feature_stops_with_the_row_group_row_and_column()
    {
        string path = await WriteAsync("gaps.parquet",
            Optional<double>("a", 1, 2, 3, 4, 5), Of<float>("b", 1, 2, 3, float.NaN, 5), Text("label", "x", "y", "x", "y", "x"));
        string nulls = await WriteAsync("nulls.parquet",
            Optional<double>("a", 1, 2, 3, 4, null), Of<float>("b", 1, 2, 3, 4, 5), Text("label", "x", "y", "x", "y", "x"));

        Assert.Equal($"gaps.parquet: row group 1, row 4, column 'b': NaN; {NotFilled}", ParquetSource.Error(path, ("label", "label")));
        Assert.Equal($"nulls.parquet: row group 2, row 5, column 'a': null; {NotFilled}", ParquetSource.Error(nulls, ("label", "label")));
    }

    [Fact]
    public async Task On_error_skip_leaves_bad_rows_out_counted_and_reported()
    {
        string path = await WriteAsync("gaps.parquet",
            Optional<double>("a", 1, null, 3, double.NaN, 5), Text("label", "x", "y", "x", "y", "x"));
        var logger = new ListLogger<ParquetDataSource>();

        IDataset data = new ParquetDataSource(logger).Open(CsvFiles.Settings(("path", path), ("label", "label"), ("on_error", "skip")));

        Assert.Equal(3, data.Count);
        Assert.Equal(new float[] { 1, 3, 5 }, (await InMemoryDataset.LoadAsync(data)).Features.ToArray());
        Assert.Equal(["x"], data.Schema.ClassNames);
        string warning = Assert.Single(logger.Warnings);
        Assert.Equal($"Skipped 2 bad rows of gaps.parquet (on_error: skip) and kept 3; the first: gaps.parquet: row group 0, row 2, column 'a': null; {NotFilled}"
            + $" | gaps.parquet: row group 1, row 4, column 'a': NaN; {NotFilled}", warning);
    }

    [Fact]
    public async Task Missing_skip_leaves_rows_out_and_missing_fill_fills_them_both_reported()
    {
        string path = await WriteAsync("gaps.parquet",
            Optional<double>("a", 1, null, 3, double.NaN, 5), Optional<int>("b", 1, 2, null, 4, 5), Text("label", "x", "y", "x", "y", "x"));
        var skipLog = new ListLogger<ParquetDataSource>();
        var fillLog = new ListLogger<ParquetDataSource>();

        IDataset skipped = new ParquetDataSource(skipLog).Open(CsvFiles.Settings(("path", path), ("label", "label"), ("missing", "skip")));
        IDataset filled = new ParquetDataSource(fillLog).Open(CsvFiles.Settings(("path", path), ("label", "label"), ("missing", "fill"), ("fill_value", "-1")));

        Assert.Equal(2, skipped.Count);
        Assert.Equal(new float[] { 1, 1, 5, 5 }, (await InMemoryDataset.LoadAsync(skipped)).Features.ToArray());
        Assert.Equal("Skipped 3 rows of gaps.parquet with missing values (missing: skip) and kept 2", Assert.Single(skipLog.Warnings));
        Assert.Equal(5, filled.Count);
        Assert.Equal(new float[] { 1, 1, -1, 2, 3, -1, -1, 4, 5, 5 }, (await InMemoryDataset.LoadAsync(filled)).Features.ToArray());
        Assert.Contains("Filled 3 missing values of gaps.parquet with -1 (missing: fill)", fillLog.Entries.Select(e => e.Message));
    }

    [Fact]
    public async Task A_null_or_empty_label_is_never_filled()
    {
        string path = await WriteAsync("labels.parquet", Of<float>("a", 1, 2, 3, 4), Text("label", "x", null, "y", " "));
        string blank = await WriteAsync("blank.parquet", Of<float>("a", 1, 2), Text("label", "x", " "));
        string integers = await WriteAsync("integers.parquet", Of<float>("a", 1, 2, 3), Optional<int>("label", 1, 2, null));
        string targets = await WriteAsync("targets.parquet", Of<float>("a", 1, 2, 3), Optional<double>("y", 1, double.NaN, 3));
        const string Never = "expected a class label (a missing label is never filled in)";

        Assert.Equal($"labels.parquet: row group 0, row 2, column 'label': null; {Never}", ParquetSource.Error(path, ("label", "label"), ("missing", "fill")));
        Assert.Equal($"blank.parquet: row group 0, row 2, column 'label': ' ' is empty; {Never}", ParquetSource.Error(blank, ("label", "label")));
        Assert.Equal($"integers.parquet: row group 1, row 3, column 'label': null; {Never}", ParquetSource.Error(integers, ("label", "label")));
        Assert.Equal("targets.parquet: row group 0, row 2, column 'y': NaN; expected a number, the regression target (a missing target is never filled in)",
            ParquetSource.Error(targets, ("label", "y"), ("task", "regression"), ("missing", "fill")));
        Assert.Equal(2, ParquetSource.Open(path, ("label", "label"), ("missing", "skip")).Count);
        Assert.Equal(2, ParquetSource.Open(integers, ("label", "label"), ("missing", "skip")).Count);
    }

    [Fact]
    public async Task When_every_row_is_left_out_the_open_fails_saying_why()
    {
        string path = await WriteAsync("all.parquet", Optional<float>("a", null, float.NaN), Text("label", "x", "y"));

        Assert.Equal("all.parquet: all 2 rows have missing values and were skipped (missing: skip); expected at least one complete row",
            ParquetSource.Error(path, ("label", "label"), ("missing", "skip")));
        Assert.StartsWith("all.parquet: all 2 rows are bad and were skipped (on_error: skip); the first: all.parquet: row group 0, row 1, column 'a': null;",
            ParquetSource.Error(path, ("label", "label"), ("on_error", "skip")), StringComparison.Ordinal);
    }
}
