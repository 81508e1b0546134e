using Conduit.Data.Tests.Support;
using Conduit.DataSources.Csv;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Parquet;

public sealed class ParquetDigitsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Csv => CsvFiles.Sample("digits.csv");

    private async Task<string> DigitsAsync(int rowGroupSize)
    {
        string path = Path.Combine(_temp.Path, "digits.parquet");
        await ParquetFiles.WriteDigitsParquetAsync(Csv, path, rowGroupSize);
        return path;
    }

    [Fact]
    public async Task A_parquet_copy_of_the_digits_reads_exactly_as_the_csv_source_reads_the_csv()
    {
        string path = await DigitsAsync(rowGroupSize: 500);
        InMemoryDataset csv = await InMemoryDataset.LoadAsync(new CsvDataSource().Open(CsvFiles.Settings(("path", Csv), ("label", "label"))));

        IDataset opened = ParquetSource.Open(path, ("label", "label"));
        InMemoryDataset parquet = await InMemoryDataset.LoadAsync(opened);

        Assert.Equal(1797, opened.Count);
        Assert.Equal(csv.Schema.FeatureShape, parquet.Schema.FeatureShape);
        Assert.Equal(csv.Schema.FeatureNames, parquet.Schema.FeatureNames);
        Assert.Equal(TargetKind.Classification, parquet.Schema.Target);
        Assert.Equal(csv.Schema.ClassNames, parquet.Schema.ClassNames);
        Assert.Equal(csv.Features.ToArray(), parquet.Features.ToArray());
        Assert.Equal(csv.Classes.ToArray(), parquet.Classes.ToArray());
    }

    [Fact]
    public async Task Blocks_are_the_row_groups_in_file_order()
    {
        string path = await DigitsAsync(rowGroupSize: 500);
        float[] csv = CsvFiles.Load(Csv).Features.ToArray();

        List<float[]> blocks = await ParquetSource.BlocksAsync(ParquetSource.Open(path, ("label", "label")));

        Assert.Equal([500 * 64, 500 * 64, 500 * 64, 297 * 64], blocks.Select(b => b.Length));
        Assert.Equal(csv, blocks.SelectMany(b => b));
    }

    [Fact]
    public async Task A_shape_of_1_8_8_lays_the_pixels_out_as_images()
    {
        string path = await DigitsAsync(rowGroupSize: 1000);
        InMemoryDataset flat = await ParquetSource.LoadAsync(path, ("label", "label"));

        IDataset images = ParquetSource.Open(path, ("label", "label"), ("shape:0", "1"), ("shape:1", "8"), ("shape:2", "8"));
        DataBatch first = await images.ReadAsync().FirstAsync();

        Assert.Equal(new TensorShape(1, 8, 8), images.Schema.FeatureShape);
        Assert.Equal(new TensorShape(1000, 1, 8, 8), first.Features.Shape);
        Assert.Equal(flat.Features.ToArray(), (await InMemoryDataset.LoadAsync(images)).Features.ToArray());
        Assert.Equal("digits.parquet: data.shape [8, 9] holds 72 values, but there are 64 feature columns; expected dimensions whose product is 64",
            ParquetSource.Error(path, ("label", "label"), ("shape", "8,9")));
    }
}
