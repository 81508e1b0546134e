using System.IO.Compression;
using Conduit.Data.Tests.Support;
using Conduit.DataSources.Csv;
using Conduit.Host.Data;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Data.Tests.Csv;

public sealed class CsvSampleTests
{
    [Fact]
    public void Digits_has_1797_rows_of_64_features_and_the_classes_0_to_9()
    {
        InMemoryDataset digits = CsvFiles.Load(CsvFiles.Sample("digits.csv"));

        Assert.Equal(1797, digits.Length);
        Assert.Equal(new TensorShape(64), digits.Schema.FeatureShape);
        Assert.Equal(TargetKind.Classification, digits.Schema.Target);
        Assert.Equal([.. Enumerable.Range(0, 64).Select(i => $"p{i}")], digits.Schema.FeatureNames);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], digits.Schema.ClassNames);
        Assert.Equal([0f, 0f, 5f, 13f, 9f, 1f, 0f, 0f], digits.Features[..8].ToArray());
        Assert.Equal([0L, 1L], digits.Classes[..2].ToArray());
        // Class sizes as scikit-learn's load_digits has them.
        int[] sizes = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180];
        Assert.Equal(sizes, Enumerable.Range(0, 10).Select(c => digits.Classes.ToArray().Count(x => x == c)));
    }

    [Fact]
    public void Iris_has_150_rows_of_4_named_features_and_3_classes()
    {
        InMemoryDataset iris = CsvFiles.Load(CsvFiles.Sample("iris.csv"), "species");

        Assert.Equal(150, iris.Length);
        Assert.Equal(new TensorShape(4), iris.Schema.FeatureShape);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], iris.Schema.FeatureNames);
        Assert.Equal(["0", "1", "2"], iris.Schema.ClassNames);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], iris.Features[..4].ToArray());
        Assert.Equal([5.9f, 3.0f, 5.1f, 1.8f], iris.Features[^4..].ToArray());
        Assert.Equal(2L, iris.Classes[^1]);
    }

    [Fact]
    public void A_gzip_copy_reads_the_same_as_the_plain_file()
    {
        using var temp = new TempFolder();
        string gz = Path.Combine(temp.Path, "digits.csv.gz");
        using (var input = File.OpenRead(CsvFiles.Sample("digits.csv")))
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
        {
            input.CopyTo(output);
        }

        InMemoryDataset plain = CsvFiles.Load(CsvFiles.Sample("digits.csv"));
        InMemoryDataset compressed = CsvFiles.Load(gz);

        Assert.Equal(plain.Schema.FeatureNames, compressed.Schema.FeatureNames);
        Assert.Equal(plain.Schema.ClassNames, compressed.Schema.ClassNames);
        Assert.True(plain.Features.SequenceEqual(compressed.Features));
        Assert.True(plain.Classes.SequenceEqual(compressed.Classes));
    }

    [Fact]
    public void A_shape_setting_makes_each_example_an_image()
    {
        InMemoryDataset digits = CsvFiles.Load(CsvFiles.Sample("digits.csv"), "label", ("shape:0", "1"), ("shape:1", "8"), ("shape:2", "8"));

        Assert.Equal(new TensorShape(1, 8, 8), digits.Schema.FeatureShape);
        Assert.Equal(1797, digits.Length);
    }

    [Fact]
    public void A_shape_that_does_not_hold_the_features_is_refused()
    {
        string message = CsvFiles.Error(CsvFiles.Sample("digits.csv"), ("label", "label"), ("shape", "1,8,9"));

        Assert.Equal("digits.csv: data.shape [1, 8, 9] holds 72 values, but there are 64 feature columns; expected dimensions whose product is 64", message);
    }

    [Fact]
    public void Regression_reads_the_label_as_a_number_and_keeps_the_other_columns_as_features()
    {
        InMemoryDataset iris = CsvFiles.Load(CsvFiles.Sample("iris.csv"), "petal_width", ("task", "regression"));

        Assert.Equal(TargetKind.Regression, iris.Schema.Target);
        Assert.Empty(iris.Schema.ClassNames);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "species"], iris.Schema.FeatureNames);
        Assert.Equal(150, iris.Values.Length);
        Assert.Equal(0.2f, iris.Values[0]);
        Assert.Equal(1.8f, iris.Values[^1]);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0f], iris.Features[..4].ToArray());
    }

    [Fact]
    public void Features_can_be_chosen_by_name_or_index_in_the_order_given()
    {
        InMemoryDataset iris = CsvFiles.Load(CsvFiles.Sample("iris.csv"), "4", ("features:0", "petal_width"), ("features:1", "0"));

        Assert.Equal(["petal_width", "sepal_length"], iris.Schema.FeatureNames);
        Assert.Equal([0.2f, 5.1f], iris.Features[..2].ToArray());
    }

    [Fact]
    public void Without_a_label_the_data_is_unlabelled_and_every_column_is_a_feature()
    {
        CsvReadResult result = CsvFiles.Read(CsvFiles.Sample("iris.csv"));

        Assert.Equal(TargetKind.None, result.Dataset.Schema.Target);
        Assert.Equal(new TensorShape(5), result.Dataset.Schema.FeatureShape);
        Assert.True(result.Dataset.Classes.IsEmpty && result.Dataset.Values.IsEmpty);
    }

    [Fact]
    public void The_plugin_registers_a_data_source_named_csv()
    {
        var services = new ServiceCollection();
        new CsvPlugin().ConfigureServices(services, new PluginContext("csv", new Version(0, 1, 0), AppContext.BaseDirectory, CsvFiles.Settings().Configuration, new Version(0, 1, 0)));
        using ServiceProvider provider = services.BuildServiceProvider();

        IDataSource source = Assert.Single(provider.GetServices<IDataSource>());

        Assert.Equal("csv", source.Name);
        IDataset iris = source.Open(CsvFiles.Settings(("path", CsvFiles.Sample("iris.csv")), ("label", "species")));
        Assert.Equal(150, iris.Count);
    }
}
