using Conduit.Data.Tests.Support;
using Conduit.DataSources.Synthetic;

namespace Conduit.Data.Tests.Synthetic;

public sealed class SyntheticSourceTests
{
    private static IDataset Open(params (string Key, string? Value)[] settings) => new SyntheticDataSource().Open(CsvFiles.Settings(settings));

    [Fact]
    public async Task The_same_seed_gives_the_same_data_and_another_seed_other_data()
    {
        InMemoryDataset a = await InMemoryDataset.LoadAsync(Open(("generator", "classification"), ("rows", "300"), ("seed", "1")));
        InMemoryDataset b = await InMemoryDataset.LoadAsync(Open(("generator", "classification"), ("rows", "300"), ("seed", "1")));
        InMemoryDataset c = await InMemoryDataset.LoadAsync(Open(("generator", "classification"), ("rows", "300"), ("seed", "2")));

        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.Equal(a.Classes.ToArray(), b.Classes.ToArray());
        Assert.NotEqual(a.Features.ToArray(), c.Features.ToArray());
    }

    [Fact]
    public async Task An_example_depends_only_on_its_index_not_on_how_many_are_generated()
    {
        InMemoryDataset small = await InMemoryDataset.LoadAsync(Open(("generator", "regression"), ("rows", "10"), ("features", "5")));
        InMemoryDataset large = await InMemoryDataset.LoadAsync(Open(("generator", "regression"), ("rows", "2500"), ("features", "5")));

        Assert.Equal(small.Features.ToArray(), large.Features[..50].ToArray());
        Assert.Equal(small.Values.ToArray(), large.Values[..10].ToArray());
    }

    [Fact]
    public void The_schema_names_features_and_classes_and_a_huge_count_opens_at_once()
    {
        IDataset data = Open(("generator", "classification"), ("rows", "100000000"), ("features", "3"), ("classes", "4"));

        Assert.Equal(100_000_000, data.Count);
        Assert.Equal(new TensorShape(3), data.Schema.FeatureShape);
        Assert.Equal(["f0", "f1", "f2"], data.Schema.FeatureNames);
        Assert.Equal(["class_0", "class_1", "class_2", "class_3"], data.Schema.ClassNames);
        DataBatch first = ((StreamingDataset)data).ReadExamplesAsync().ToBlockingEnumerable().First();
        Assert.Equal(1024, first.Count);
    }

    [Theory]
    [InlineData("classification")]
    [InlineData("image")]
    public async Task Classes_are_separable_by_their_nearest_mean(string generator)
    {
        InMemoryDataset data = await InMemoryDataset.LoadAsync(Open(("generator", generator), ("rows", "2000"), ("shape", "1,12,12"), ("seed", "3")));
        int size = (int)data.Schema.FeatureShape.ElementCount;
        int classes = data.Schema.ClassNames.Count;
        var means = new double[classes * size];
        var counts = new int[classes];
        for (int i = 0; i < 1000; i++)
        {
            long c = data.Classes[i];
            counts[c]++;
            for (int j = 0; j < size; j++)
            {
                means[(c * size) + j] += data.Features[(i * size) + j];
            }
        }
        for (int k = 0; k < means.Length; k++)
        {
            means[k] /= Math.Max(1, counts[k / size]);
        }

        int correct = 0;
        for (int i = 1000; i < 2000; i++)
        {
            int best = Enumerable.Range(0, classes).MinBy(c => Enumerable.Range(0, size).Sum(j => Math.Pow(data.Features[(i * size) + j] - means[(c * size) + j], 2)));
            correct += best == data.Classes[i] ? 1 : 0;
        }

        Assert.True(correct > 900, $"{correct} of 1000 held-out examples nearest to their class mean");
        Assert.Equal(generator == "image" ? new TensorShape(1, 12, 12) : new TensorShape(20), data.Schema.FeatureShape);
    }

    [Fact]
    public async Task Regression_targets_follow_a_linear_function_plus_noise()
    {
        var dataset = (StreamingDataset)Open(("generator", "regression"), ("rows", "2000"), ("features", "8"), ("seed", "5"));
        InMemoryDataset data = await InMemoryDataset.LoadAsync(dataset);
        var source = (SyntheticDataset)dataset;
        float[] w = source.Weights;
        float bias = source.Bias;

        double residual = 0;
        double spread = data.Values.ToArray().Select(v => (double)v).Average(v => v * v);
        for (int i = 0; i < data.Length; i++)
        {
            double y = bias + Enumerable.Range(0, 8).Sum(j => w[j] * data.Features[(i * 8) + j]);
            residual += Math.Pow(data.Values[i] - y, 2);
        }

        Assert.InRange(Math.Sqrt(residual / data.Length), 0.08, 0.12); // the default noise, 0.1
        Assert.True(spread > 1);
    }

    [Theory]
    [InlineData(new[] { "rows", "5" }, "data.generator: is missing; expected one of classification, regression, image")]
    [InlineData(new[] { "generator", "blobs", "rows", "5" }, "data.generator: 'blobs' is not allowed; expected one of classification, regression, image")]
    [InlineData(new[] { "generator", "regression" }, "data.rows: is missing; expected the number of examples to generate, such as 10000")]
    [InlineData(new[] { "generator", "regression", "rows", "0" }, "data.rows: '0' is not allowed; expected a whole number of examples of at least 1")]
    [InlineData(new[] { "generator", "regression", "rows", "many" }, "data.rows: 'many' is not allowed; expected a whole number of examples of at least 1")]
    [InlineData(new[] { "generator", "classification", "rows", "5", "classes", "1" }, "data.classes: '1' is not allowed; expected an integer from 2 to 100000")]
    [InlineData(new[] { "generator", "image", "rows", "5", "shape", "1,28" }, "data.shape: [1, 28] is not allowed; expected three dimensions [C, H, W] of at least 1, such as [1, 28, 28]")]
    [InlineData(new[] { "generator", "image", "rows", "5", "shape", "1,0,4" }, "data.shape.1: '0' is not allowed; expected an integer of at least 1")]
    [InlineData(new[] { "generator", "classification", "rows", "5", "features", "3", "informative", "4" }, "data.informative: '4' is not allowed; expected at most data.features (3)")]
    [InlineData(new[] { "generator", "classification", "rows", "5", "noise", "-1" }, "data.noise: '-1' is not allowed; expected a number of at least 0 (the spread of the noise)")]
    public void Bad_settings_name_the_key_the_value_and_what_is_allowed(string[] pairs, string expected)
    {
        var settings = pairs.Chunk(2).Select(p => (p[0], (string?)p[1])).ToArray();

        Assert.Equal(expected, Assert.Throws<InvalidDataException>(() => Open(settings)).Message);
    }
}
