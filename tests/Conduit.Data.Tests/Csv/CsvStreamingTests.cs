using System.IO.Compression;
using Conduit.Data.Tests.Support;
using Conduit.DataSources.Csv;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Csv;

public sealed class CsvStreamingTests : IDisposable
{
    private const string Header = "a,b,label\n";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("skip", new[] { 1f, 2f, 7f, 8f }, new[] { "x", "z" })]
    [InlineData("fill", new[] { 1f, 2f, -1f, 4f, 5f, -1f, 7f, 8f }, new[] { "x", "y", "y", "z" })]
    public void Missing_values_are_skipped_or_filled_only_when_the_job_says_so(string policy, float[] features, string[] labels)
    {
        string path = _temp.Write("gaps.csv", Header + "1,2,x\n,4,y\n5,NaN,y\n7,8,z\n");
        (string, string?)[] settings = policy == "fill" ? [("label", "label"), ("missing", "fill"), ("fill_value", "-1")] : [("label", "label"), ("missing", "skip")];

        InMemoryDataset data = CsvFiles.Read(path, settings).Dataset;

        Assert.Equal(features, data.Features.ToArray());
        Assert.Equal(labels, data.Classes.ToArray().Select(c => data.Schema.ClassNames[(int)c]));
    }

    [Fact]
    public void A_missing_label_is_never_filled()
    {
        string path = _temp.Write("label.csv", Header + "1,2,x\n3,4,\n");

        Assert.Equal("label.csv:3:col 3 (label): '' is empty; expected a class label (a missing label is never filled in)",
            CsvFiles.Error(path, ("label", "label"), ("missing", "fill")));
        Assert.Equal(1, CsvFiles.Read(path, ("label", "label"), ("missing", "skip")).Dataset.Length);
    }

    [Fact]
    public void Missing_policy_settings_are_checked()
    {
        string path = _temp.Write("s.csv", Header + "1,2,x\n");

        Assert.Equal("data.missing: 'mean' is not allowed; expected one of error, skip, fill\n"
            + "data.fill_value: '3' is only used with missing: fill; expected missing: fill, or no fill_value",
            CsvFiles.Error(path, ("label", "label"), ("missing", "mean"), ("fill_value", "3")));
    }

    [Fact]
    public void A_label_outside_the_training_classes_in_a_separate_file_is_named_with_the_known_classes()
    {
        string train = _temp.Write("train.csv", Header + "1,2,x\n3,4,y\n");
        string test = _temp.Write("test.csv", Header + "1,2,x\n3,4,w\n");
        DataSchema reference = CsvFiles.Load(train).Schema;

        var e = Assert.Throws<InvalidDataException>(() => Host.Data.ClassAlignment.AlignTo(CsvFiles.Load(test), reference, "data.test_path (test.csv)"));

        Assert.Equal("data.test_path (test.csv): class 'w' does not occur in the training data; expected one of x, y", e.Message);
    }

    [Fact]
    public void A_truncated_gzip_file_is_named_and_nothing_is_read_from_it()
    {
        string plain = File.ReadAllText(CsvFiles.Sample("digits.csv"));
        string gz = Path.Combine(_temp.Path, "digits.csv.gz");
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
        {
            output.Write(System.Text.Encoding.UTF8.GetBytes(plain));
        }
        byte[] bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..(bytes.Length / 2)]);

        string message = CsvFiles.Error(gz, ("label", "label"));

        Assert.StartsWith($"{gz}: cannot be read as gzip-compressed text: ", message, StringComparison.Ordinal);
        Assert.Contains("(after the record on line ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_passes_read_exactly_what_a_load_into_memory_reads()
    {
        var stream = new StreamingDataset(new CsvDataSource().Open(CsvFiles.Settings(("path", CsvFiles.Sample("digits.csv")), ("label", "label"))));
        InMemoryDataset memory = CsvFiles.Load(CsvFiles.Sample("digits.csv"));
        var features = new List<float>();
        var classes = new List<long>();

        await foreach (DataBatch batch in stream.ReadBatchesAsync(new BatchOptions(100)))
        {
            features.AddRange(((TensorBuffer<float>)batch.Features).Memory.ToArray());
            classes.AddRange(((TensorBuffer<long>)batch.Targets!).Memory.ToArray());
        }

        Assert.Equal(1797, stream.Count);
        Assert.Equal(memory.Features.ToArray(), features);
        Assert.Equal(memory.Classes.ToArray(), classes);
    }

    [Fact]
    public async Task Skipped_rows_stay_skipped_on_every_pass()
    {
        string path = _temp.Write("skips.csv", Header + "1,2,x\nbad,4,y\n5,6,y\n7,8\n9,10,z\n");
        IDataset stream = new CsvDataSource().Open(CsvFiles.Settings(("path", path), ("label", "label"), ("on_error", "skip")));

        for (int pass = 0; pass < 2; pass++)
        {
            InMemoryDataset data = await InMemoryDataset.LoadAsync(stream);
            Assert.Equal([1f, 2f, 5f, 6f, 9f, 10f], data.Features.ToArray());
        }
        Assert.Equal(3, stream.Count);
    }
}
