using Conduit.Configuration;
using Conduit.Data.Tests.Support;
using Conduit.DataSources.Synthetic;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Synthetic;

public sealed class SyntheticSourceTests
{
    internal static IDataset Open(params (string Key, string? Value)[] settings) =>
        new SyntheticDataSource().Open(CsvFiles.Settings(settings));

    internal static Task<InMemoryDataset> LoadAsync(params (string Key, string? Value)[] settings) => InMemoryDataset.LoadAsync(Open(settings));

    [Theory]
    [InlineData("classification")]
    [InlineData("regression")]
    [InlineData("image")]
    public async Task The_same_seed_gives_the_same_data_and_another_seed_other_data(string generator)
    {
        IDataset first = Open(("generator", generator), ("rows", "300"), ("shape", "2,6,5"), ("seed", "1"));
        InMemoryDataset a = await InMemoryDataset.LoadAsync(first);
        InMemoryDataset again = await InMemoryDataset.LoadAsync(first);
        InMemoryDataset b = await LoadAsync(("generator", generator), ("rows", "300"), ("shape", "2,6,5"), ("seed", "1"));
        InMemoryDataset c = await LoadAsync(("generator", generator), ("rows", "300"), ("shape", "2,6,5"), ("seed", "2"));

        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.Equal(a.Features.ToArray(), again.Features.ToArray());
        Assert.Equal(a.Classes.ToArray(), b.Classes.ToArray());
        Assert.Equal(a.Values.ToArray(), b.Values.ToArray());
        Assert.NotEqual(a.Features.ToArray(), c.Features.ToArray());
    }

    [Fact]
    public async Task An_example_depends_only_on_its_index_not_on_how_many_are_generated()
    {
        InMemoryDataset small = await LoadAsync(("generator", "regression"), ("rows", "10"), ("features", "5"));
        InMemoryDataset large = await LoadAsync(("generator", "regression"), ("rows", "2500"), ("features", "5"));

        Assert.Equal(small.Features.ToArray(), large.Features[..50].ToArray());
        Assert.Equal(small.Values.ToArray(), large.Values[..10].ToArray());
    }

    [Theory]
    [InlineData("classification")]
    [InlineData("regression")]
    [InlineData("image")]
    public async Task Examples_generated_one_by_one_in_any_order_equal_the_stream(string generator)
    {
        var dataset = (SyntheticDataset)Open(("generator", generator), ("rows", "3000"), ("features", "7"), ("shape", "3,4,4"), ("seed", "11"));
        InMemoryDataset streamed = await InMemoryDataset.LoadAsync(dataset);
        int size = (int)dataset.Schema.FeatureShape.ElementCount;
        var features = new float[size];

        foreach (long i in new long[] { 2999, 0, 1024, 1023, 17, 2048, 1500 })
        {
            long label = dataset.Generate(i, features, out float target);

            Assert.Equal(streamed.Features.Slice((int)i * size, size).ToArray(), features);
            if (generator == "regression")
            {
                Assert.Equal(streamed.Values[(int)i], target);
            }
            else
            {
                Assert.Equal(streamed.Classes[(int)i], label);
            }
        }
    }

    [Theory]
    [InlineData(2500, 20, new[] { 1024, 1024, 452 })]
    [InlineData(1, 20, new[] { 1 })]
    [InlineData(1024, 20, new[] { 1024 })]
    [InlineData(500, 5000, new[] { 209, 209, 82 })] // wide examples come in blocks of at most 2^20 values
    public async Task Blocks_cover_exactly_the_rows(long rows, int features, int[] blocks)
    {
        IDataset dataset = Open(("generator", "classification"), ("rows", rows.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("features", features.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var sizes = new List<int>();
        await foreach (DataBatch block in dataset.ReadAsync())
        {
            sizes.Add(block.Count);
            Assert.Equal(new TensorShape(block.Count, features), block.Features.Shape);
            Assert.Equal(new TensorShape(block.Count), block.Targets!.Shape);
        }

        Assert.Equal(blocks, sizes);
        Assert.Equal(rows, dataset.Count);
    }

    [Fact]
    public void The_schema_names_features_and_classes_and_a_huge_count_opens_at_once()
    {
        IDataset data = Open(("generator", "classification"), ("rows", "100000000"), ("features", "3"), ("classes", "4"));

        Assert.Equal(100_000_000, data.Count);
        Assert.Equal(new TensorShape(3), data.Schema.FeatureShape);
        Assert.Equal(["f0", "f1", "f2"], data.Schema.FeatureNames);
        Assert.Equal(TargetKind.Classification, data.Schema.Target);
        Assert.Equal(["class_0", "class_1", "class_2", "class_3"], data.Schema.ClassNames);
        DataBatch first = data.ReadAsync().ToBlockingEnumerable().First();
        Assert.Equal(1024, first.Count);
    }

    [Fact]
    public async Task Regression_has_one_float_target_per_example_and_no_classes()
    {
        IDataset data = Open(("generator", "regression"), ("rows", "10000000"));

        Assert.Equal(new TensorShape(20), data.Schema.FeatureShape);
        Assert.Equal(Enumerable.Range(0, 20).Select(j => $"f{j}"), data.Schema.FeatureNames);
        Assert.Equal(TargetKind.Regression, data.Schema.Target);
        Assert.Empty(data.Schema.ClassNames);
        await foreach (DataBatch block in data.ReadAsync())
        {
            Assert.Equal(new TensorShape(1024, 1), Assert.IsType<TensorBuffer<float>>(block.Targets).Shape);
            break;
        }
    }

    [Fact]
    public async Task Images_default_to_ten_classes_of_one_by_28_by_28_pixels_in_0_to_1()
    {
        IDataset data = Open(("generator", "image"), ("rows", "300"));
        InMemoryDataset images = await InMemoryDataset.LoadAsync(data);

        Assert.Equal(new TensorShape(1, 28, 28), data.Schema.FeatureShape);
        Assert.Equal(Enumerable.Range(0, 10).Select(c => $"class_{c}"), data.Schema.ClassNames);
        Assert.Empty(data.Schema.FeatureNames);
        float[] pixels = images.Features.ToArray();
        Assert.All(pixels, p => Assert.InRange(p, 0f, 1f));
        Assert.Contains(pixels, p => p is > 0.01f and < 0.99f);
    }

    [Fact]
    public async Task Classes_are_drawn_about_equally_often()
    {
        InMemoryDataset data = await LoadAsync(("generator", "classification"), ("rows", "10000"), ("features", "2"), ("classes", "10"));

        int[] counts = new int[10];
        foreach (long c in data.Classes)
        {
            counts[c]++;
        }

        Assert.All(counts, n => Assert.InRange(n, 850, 1150)); // 1000 expected, a standard deviation of 30
    }

    [Theory]
    [InlineData("classification", "")]
    [InlineData("classification", "10")]
    [InlineData("image", "")]
    [InlineData("image", "3")]
    public async Task Classes_are_separable_by_their_nearest_mean(string generator, string classes)
    {
        InMemoryDataset data = await LoadAsync(("generator", generator), ("rows", "2000"), ("classes", classes), ("seed", "3"));
        int size = (int)data.Schema.FeatureShape.ElementCount;
        int classCount = data.Schema.ClassNames.Count;
        var means = new double[classCount * size];
        var counts = new int[classCount];
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
            int best = 0;
            double bestDistance = double.MaxValue;
            for (int c = 0; c < classCount; c++)
            {
                double distance = 0;
                for (int j = 0; j < size; j++)
                {
                    double d = data.Features[(i * size) + j] - means[(c * size) + j];
                    distance += d * d;
                }
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (c, distance);
                }
            }
            correct += best == data.Classes[i] ? 1 : 0;
        }

        Assert.True(correct > 900, $"{correct} of 1000 held-out examples nearest to their class mean");
    }

    [Fact]
    public async Task Regression_targets_follow_a_linear_function_plus_noise()
    {
        var dataset = (SyntheticDataset)Open(("generator", "regression"), ("rows", "2000"), ("features", "8"), ("seed", "5"));
        InMemoryDataset data = await InMemoryDataset.LoadAsync(dataset);
        float[] w = dataset.Weights;

        var signal = new double[data.Length];
        double residual = 0;
        for (int i = 0; i < data.Length; i++)
        {
            signal[i] = Enumerable.Range(0, 8).Sum(j => (double)w[j] * data.Features[(i * 8) + j]);
            residual += Math.Pow(data.Values[i] - (signal[i] + dataset.Bias), 2);
        }

        Assert.True(Correlation(signal, [.. data.Values.ToArray().Select(v => (double)v)]) > 0.99);
        Assert.InRange(Math.Sqrt(residual / data.Length), 0.09, 0.11); // the default noise, 0.1
        Assert.Contains(w, v => Math.Abs(v) > 0.1f);
    }

    [Fact]
    public async Task Only_the_informative_features_carry_signal()
    {
        var classes = (SyntheticDataset)Open(("generator", "classification"), ("rows", "10"), ("features", "6"), ("informative", "2"), ("classes", "3"));
        var values = (SyntheticDataset)Open(("generator", "regression"), ("rows", "10"), ("features", "6"), ("informative", "2"));

        for (int c = 0; c < 3; c++)
        {
            Assert.All(classes.Centroids.AsSpan((c * 6) + 2, 4).ToArray(), v => Assert.Equal(0f, v));
            Assert.All(classes.Centroids.AsSpan(c * 6, 2).ToArray(), v => Assert.NotEqual(0f, v));
        }
        Assert.Equal([0f, 0f, 0f, 0f], values.Weights[2..]);
        Assert.All(values.Weights[..2], v => Assert.NotEqual(0f, v));
        InMemoryDataset data = await InMemoryDataset.LoadAsync(classes);
        Assert.Contains(data.Features.ToArray(), v => v != 0); // uninformative features are noise, not zero
    }

    [Fact]
    public async Task Zero_noise_gives_each_class_its_centroid_exactly()
    {
        var dataset = (SyntheticDataset)Open(("generator", "classification"), ("rows", "50"), ("features", "4"), ("noise", "0"));
        InMemoryDataset data = await InMemoryDataset.LoadAsync(dataset);

        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(dataset.Centroids.AsSpan((int)data.Classes[i] * 4, 4).ToArray(), data.Features.Slice(i * 4, 4).ToArray());
        }
    }

    [Theory]
    [InlineData("classification", 0xF101B82B2F5AF94AUL)]
    [InlineData("regression", 0x40E82DBD399DDA5DUL)]
    [InlineData("image", 0x306B88861D665B49UL)]
    public async Task The_data_for_a_seed_is_pinned_bit_for_bit(string generator, ulong expected)
    {
        // The same seed must give the same data on every platform and in every version; a change here breaks
        // that promise (benchmarks and tests that rely on it), so it must be deliberate.
        InMemoryDataset data = await LoadAsync(("generator", generator), ("rows", "5000"), ("features", "16"), ("shape", "3,9,7"), ("seed", "42"));

        ulong hash = 14695981039346656037UL;
        foreach (float v in data.Features)
        {
            hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211UL;
        }
        foreach (long c in data.Classes)
        {
            hash = (hash ^ (ulong)c) * 1099511628211UL;
        }
        foreach (float v in data.Values)
        {
            hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211UL;
        }

        Assert.Equal(expected.ToString("X16", System.Globalization.CultureInfo.InvariantCulture), hash.ToString("X16", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static double Correlation(double[] a, double[] b)
    {
        double meanA = a.Average();
        double meanB = b.Average();
        double covariance = a.Zip(b, (x, y) => (x - meanA) * (y - meanB)).Sum();
        return covariance / Math.Sqrt(a.Sum(x => (x - meanA) * (x - meanA)) * b.Sum(y => (y - meanB) * (y - meanB)));
    }
}
