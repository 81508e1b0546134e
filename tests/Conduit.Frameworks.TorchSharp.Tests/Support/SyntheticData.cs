using Conduit.Data;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests.Support;

/// <summary>Small learnable datasets, the same for a seed on every machine.</summary>
internal static class SyntheticData
{
    /// <summary><paramref name="count"/> examples of <paramref name="features"/> values, labelled by the arg-max of a fixed random linear map.</summary>
    public static InMemoryDataset Classification(int count, int features, int classes, int seed = 1)
    {
        var random = new Random(seed);
        float[] x = Normal(random, count * features);
        float[] w = Normal(random, features * classes);
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            double best = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double score = 0;
                for (int f = 0; f < features; f++)
                {
                    score += x[(i * features) + f] * w[(f * classes) + c];
                }
                if (score > best)
                {
                    (best, labels[i]) = (score, c);
                }
            }
        }
        var schema = new DataSchema(new TensorShape(features), [], TargetKind.Classification, [.. Enumerable.Range(0, classes).Select(c => $"c{c}")]);
        return new InMemoryDataset(schema, x, labels);
    }

    /// <summary><paramref name="count"/> examples with <paramref name="outputs"/> targets each, a fixed random linear map of the features plus a little noise.</summary>
    public static InMemoryDataset Regression(int count, int features, int outputs, int seed = 2)
    {
        var random = new Random(seed);
        float[] x = Normal(random, count * features);
        float[] w = Normal(random, features * outputs);
        float[] noise = Normal(random, count * outputs);
        var y = new float[count * outputs];
        for (int i = 0; i < count; i++)
        {
            for (int o = 0; o < outputs; o++)
            {
                double value = 0.5 + (0.05 * noise[(i * outputs) + o]);
                for (int f = 0; f < features; f++)
                {
                    value += x[(i * features) + f] * w[(f * outputs) + o];
                }
                y[(i * outputs) + o] = (float)value;
            }
        }
        var schema = new DataSchema(new TensorShape(features), [], TargetKind.Regression, []);
        return new InMemoryDataset(schema, x, y);
    }

    /// <summary>
    /// Images of shape [1, 8, 8] (or flat [64] when <paramref name="flat"/>): noise with a bright 3×3 blob in one of four
    /// quadrants, the class.
    /// </summary>
    public static InMemoryDataset Quadrants(int count, bool flat = false, int seed = 3)
    {
        var random = new Random(seed);
        float[] x = Normal(random, count * 64);
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            int quadrant = random.Next(4);
            labels[i] = quadrant;
            int top = (quadrant / 2 * 4) + random.Next(2);
            int left = (quadrant % 2 * 4) + random.Next(2);
            for (int r = top; r < top + 3; r++)
            {
                for (int c = left; c < left + 3; c++)
                {
                    x[(i * 64) + (r * 8) + c] += 3f;
                }
            }
        }
        TensorShape shape = flat ? new TensorShape(64) : new TensorShape(1, 8, 8);
        var schema = new DataSchema(shape, [], TargetKind.Classification, ["top-left", "top-right", "bottom-left", "bottom-right"]);
        return new InMemoryDataset(schema, x, labels);
    }

    private static float[] Normal(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            // Box-Muller: System.Random's sequence for a seed is fixed, so the data is too.
            double u = 1.0 - random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return values;
    }
}
