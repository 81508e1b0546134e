using Conduit.DataSources.Synthetic;

namespace Conduit.Data.Tests.Synthetic;

public sealed class NormalZigguratTests
{
    private const int Draws = 1_000_000;

    // Φ(z), the standard normal distribution function, at a few points.
    public static TheoryData<double, double> NormalCdf => new()
    {
        { -3, 0.0013498980316300957 },
        { -2, 0.02275013194817922 },
        { -1, 0.15865525393145707 },
        { -0.5, 0.3085375387259869 },
        { 0, 0.5 },
        { 0.5, 0.6914624612740131 },
        { 1, 0.8413447460685429 },
        { 1.5, 0.9331927987311419 },
        { 2, 0.9772498680518208 },
        { 3, 0.9986501019683699 },
    };

    private static readonly float[] Sample = DrawSample();

    [Fact]
    public void The_layers_have_equal_areas_up_to_the_top()
    {
        double[] edge = NormalZiggurat.Edge;

        Assert.Equal(NormalZiggurat.Layers + 1, edge.Length);
        Assert.Equal(NormalZiggurat.TailStart, edge[1]);
        for (int i = 1; i < NormalZiggurat.Layers; i++)
        {
            Assert.True(edge[i + 1] < edge[i], $"edge {i + 1} ({edge[i + 1]}) is not left of edge {i} ({edge[i]})");
        }
        // The top layer, from the last edge up to the peak, closes the ziggurat only if the constants fit together.
        double top = edge[NormalZiggurat.Layers - 1] * (1 - Math.Exp(-0.5 * edge[NormalZiggurat.Layers - 1] * edge[NormalZiggurat.Layers - 1]));
        Assert.Equal(NormalZiggurat.LayerArea, top, 1e-9);
    }

    [Fact]
    public void Draws_have_mean_0_and_variance_1()
    {
        double mean = Sample.Average(v => (double)v);
        double variance = Sample.Average(v => (v - mean) * (v - mean));
        double skew = Sample.Average(v => Math.Pow(v - mean, 3));
        double kurtosis = Sample.Average(v => Math.Pow(v - mean, 4));

        Assert.InRange(mean, -0.005, 0.005); // 5 standard errors
        Assert.InRange(variance, 0.993, 1.007);
        Assert.InRange(skew, -0.015, 0.015);
        Assert.InRange(kurtosis, 2.96, 3.04);
    }

    [Theory]
    [MemberData(nameof(NormalCdf))]
    public void Draws_follow_the_normal_distribution_function(double z, double expected)
    {
        double below = Sample.Count(v => v < z) / (double)Draws;

        Assert.InRange(below, expected - 0.002, expected + 0.002); // at most 4 standard errors
    }

    [Fact]
    public void The_tail_beyond_the_base_layer_has_its_share()
    {
        // P(|z| > 3.654) = 2.58e-4: 258 of a million, a standard deviation of 16, drawn by the tail method alone.
        int tail = Sample.Count(v => Math.Abs(v) > NormalZiggurat.TailStart);
        int far = Sample.Count(v => Math.Abs(v) > 4); // 63 expected

        Assert.InRange(tail, 190, 330);
        Assert.InRange(far, 30, 100);
        Assert.InRange(Sample.Count(v => v > NormalZiggurat.TailStart), (tail / 2) - 40, (tail / 2) + 40); // both signs, about equally
    }

    [Fact]
    public void Filling_many_equals_drawing_them_from_the_same_stream_in_pairs()
    {
        var stream = new ExampleRandom(9, 4);
        var odd = new float[7];
        stream.FillNormals(odd);
        var again = new ExampleRandom(9, 4);
        var first = new float[7];
        again.FillNormals(first);

        Assert.Equal(first, odd);
        Assert.All(odd, v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(odd[0], odd[1]);
    }

    [Fact]
    public void Nearby_examples_and_seeds_get_unrelated_streams()
    {
        // Starting states close together must not give correlated numbers: compare example i with i + 1 and seed s with s + 1.
        var pairs = new List<(double, double)>();
        for (int i = 0; i < 20_000; i++)
        {
            pairs.Add((new ExampleRandom(0, i).NextNormal(), new ExampleRandom(0, i + 1).NextNormal()));
            pairs.Add((new ExampleRandom(i, 0).NextNormal(), new ExampleRandom(i + 1, 0).NextNormal()));
        }
        double meanA = pairs.Average(p => p.Item1);
        double meanB = pairs.Average(p => p.Item2);
        double covariance = pairs.Average(p => (p.Item1 - meanA) * (p.Item2 - meanB));

        Assert.InRange(covariance, -0.02, 0.02); // 40,000 pairs: a standard error of 0.005
    }

    private static float[] DrawSample()
    {
        var sample = new float[Draws];
        for (int block = 0; block < Draws / 1000; block++)
        {
            new ExampleRandom(1, block).FillNormals(sample.AsSpan(block * 1000, 1000));
        }
        return sample;
    }
}
