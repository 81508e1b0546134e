using Conduit.Host.Data;

namespace Conduit.Data.Tests.Data;

public sealed class FeatureNormalizerTests
{
    private static readonly DataSchema TwoFeatures = new(new TensorShape(2), ["x", "c"], TargetKind.Classification, ["a", "b"]);

    // Training rows: x = 1, 2, 3, 6 and a constant c = 5; the test rows are far away on purpose.
    private static readonly InMemoryDataset Train = new(TwoFeatures, [1, 5, 2, 5, 3, 5, 6, 5], [0, 1, 0, 1]);
    private static readonly InMemoryDataset Test = new(TwoFeatures, [100, 7, -50, 5], [1, 0]);

    [Fact]
    public void Standardize_uses_the_training_mean_and_population_deviation_only()
    {
        FeatureNormalizer normalizer = FeatureNormalizer.Fit(NormalizationKind.Standardize, Train);

        // mean x = 12 / 4 = 3; variance = (4 + 1 + 0 + 9) / 4 = 3.5; the constant c has deviation 0, so scale 1.
        NormalizerState state = normalizer.State;
        Assert.Equal(NormalizationKind.Standardize, state.Kind);
        Assert.Equal([3f, 5f], state.Center);
        Assert.Equal([(float)Math.Sqrt(3.5), 1f], state.Scale);
        InMemoryDataset test = normalizer.Apply(Test);
        Assert.Equal([(float)((100 - 3) / Math.Sqrt(3.5)), 2f, (float)((-50 - 3) / Math.Sqrt(3.5)), 0f], test.Features.ToArray(), Tolerance(1e-5f));
        Assert.True(test.Classes.SequenceEqual(Test.Classes));
        Assert.Equal([100f, 7f, -50f, 5f], Test.Features.ToArray());
    }

    [Fact]
    public void Minmax_maps_the_training_range_to_0_to_1()
    {
        FeatureNormalizer normalizer = FeatureNormalizer.Fit(NormalizationKind.MinMax, Train);

        Assert.Equal([1f, 5f], normalizer.State.Center);
        Assert.Equal([5f, 1f], normalizer.State.Scale);
        Assert.Equal([0f, 0f, 0.2f, 0f, 0.4f, 0f, 1f, 0f], normalizer.Apply(Train).Features.ToArray(), Tolerance(1e-6f));
        Assert.Equal([19.8f, 2f, -10.2f, 0f], normalizer.Apply(Test).Features.ToArray(), Tolerance(1e-5f));
    }

    [Fact]
    public void Statistics_fitted_after_a_split_come_from_the_training_rows()
    {
        var schema = new DataSchema(new TensorShape(1), [], TargetKind.Regression, []);
        float[] values = [.. Enumerable.Range(0, 50).Select(i => (float)(i * i))];
        var data = new InMemoryDataset(schema, values, values);
        DataSplit split = DataSplitter.Split(data, new SplitSettings(Validation: 0.2, Test: 0.2, Seed: 11));

        FeatureNormalizer normalizer = FeatureNormalizer.Fit(NormalizationKind.Standardize, split.Train);

        double mean = split.TrainRows.Average(r => (double)values[r]);
        double deviation = Math.Sqrt(split.TrainRows.Average(r => (values[r] - mean) * (values[r] - mean)));
        Assert.Equal((float)mean, normalizer.State.Center[0]);
        Assert.Equal((float)deviation, normalizer.State.Scale[0]);
        Assert.NotEqual((float)values.Average(v => (double)v), normalizer.State.Center[0]);
    }

    [Theory]
    [InlineData(NormalizationKind.Standardize)]
    [InlineData(NormalizationKind.MinMax)]
    public void The_fitted_state_round_trips_through_json(NormalizationKind kind)
    {
        var schema = new DataSchema(new TensorShape(3), [], TargetKind.None, []);
        var data = new InMemoryDataset(schema, [0.1f, -3.3f, 1e-7f, 7.77f, 2.5f, 1e7f, 0.3f, 0.30000001f, -1e-7f], (float[]?)null);
        FeatureNormalizer fitted = FeatureNormalizer.Fit(kind, data);

        string json = fitted.ToJson();
        FeatureNormalizer read = FeatureNormalizer.FromJson(json);

        Assert.Contains($"\"kind\":\"{(kind == NormalizationKind.MinMax ? "minmax" : "standardize")}\"", json, StringComparison.Ordinal);
        Assert.Equal(kind, read.Kind);
        Assert.Equal(fitted.State.Center, read.State.Center);
        Assert.Equal(fitted.State.Scale, read.State.Scale);
        Assert.Equal(fitted.Apply(data).Features.ToArray(), read.Apply(data).Features.ToArray());
    }

    [Fact]
    public void None_leaves_data_alone_and_is_what_missing_json_means()
    {
        FeatureNormalizer none = FeatureNormalizer.Fit(NormalizationKind.None, Train);

        Assert.Same(FeatureNormalizer.None, none);
        Assert.Same(Train, none.Apply(Train));
        Assert.Same(FeatureNormalizer.None, FeatureNormalizer.FromJson(null));
        Assert.Equal(NormalizationKind.None, FeatureNormalizer.FromJson(none.ToJson()).Kind);
    }

    [Fact]
    public void Predict_input_is_normalized_in_place_example_by_example()
    {
        FeatureNormalizer normalizer = FeatureNormalizer.FromJson("""{"kind":"minmax","center":[1,10],"scale":[2,5]}""");
        float[] rows = [3, 10, 0, 20];

        normalizer.Apply(rows);

        Assert.Equal([1f, 0f, -0.5f, 2f], rows);
        Assert.Throws<ArgumentException>(() => normalizer.Apply(new float[3]));
    }

    [Fact]
    public void Data_of_another_width_is_refused()
    {
        FeatureNormalizer normalizer = FeatureNormalizer.Fit(NormalizationKind.Standardize, Train);
        var wide = new InMemoryDataset(new DataSchema(new TensorShape(3), [], TargetKind.None, []), new float[6], (float[]?)null);

        var error = Assert.Throws<ArgumentException>(() => normalizer.Apply(wide));

        Assert.Equal("The standardize normalizer was fitted on 2 features per example, but the data has 3.", error.Message);
    }

    [Theory]
    [InlineData("""{"kind":"standardize","center":[1,2],"scale":[1]}""")]
    [InlineData("""{"kind":"standardize","center":[1],"scale":[0]}""")]
    [InlineData("""{"kind":"zscore","center":[1],"scale":[1]}""")]
    [InlineData("""{"kind":"minmax",""")]
    public void Inconsistent_json_is_refused(string json)
    {
        Assert.Throws<InvalidDataException>(() => FeatureNormalizer.FromJson(json));
    }

    private static FloatComparer Tolerance(float tolerance) => new(tolerance);

    private sealed class FloatComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(float obj) => 0;
    }
}
