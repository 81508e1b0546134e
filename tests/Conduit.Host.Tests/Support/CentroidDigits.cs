using System.Globalization;

namespace Conduit.Host.Tests.Support;

/// <summary>
/// A nearest-centroid classifier of the digits data as a linear layer, with what it predicts worked out here, apart
/// from Conduit: class k scores <c>x · c_k - |c_k|² / 2</c> for its rounded centroid <c>c_k</c>. Every weight is a small
/// integer and every bias a half-integer, so float32 sums are exact and the expected classes are certain.
/// </summary>
internal sealed class CentroidDigits
{
    public CentroidDigits(string csv)
    {
        string[][] rows = [.. File.ReadLines(csv).Skip(1).Select(line => line.Split(','))];
        Features = [.. rows.Select(r => r[..64].Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        Labels = [.. rows.Select(r => int.Parse(r[64], CultureInfo.InvariantCulture))];
        var centroids = new int[10][];
        for (int k = 0; k < 10; k++)
        {
            int[][] members = [.. Features.Where((_, i) => Labels[i] == k)];
            centroids[k] = [.. Enumerable.Range(0, 64).Select(j => (int)Math.Round(members.Average(m => m[j]), MidpointRounding.AwayFromZero))];
        }
        Weights = [.. Enumerable.Range(0, 64).Select(j => centroids.Select(c => (float)c[j]).ToArray())];
        Bias = [.. centroids.Select(c => -c.Sum(v => v * v) / 2f)];
        Predicted = [.. Features.Select(x => ArgMax(Enumerable.Range(0, 10).Select(k => 2L * Dot(x, centroids[k]) - centroids[k].Sum(v => (long)v * v)).ToArray()))];
        Accuracy = (double)Predicted.Where((p, i) => p == Labels[i]).Count() / Labels.Length;
    }

    /// <summary>Each example's 64 pixels.</summary>
    public int[][] Features { get; }

    /// <summary>Each example's digit.</summary>
    public int[] Labels { get; }

    /// <summary>The layer's weights, features × classes.</summary>
    public float[][] Weights { get; }

    /// <summary>The layer's bias per class.</summary>
    public float[] Bias { get; }

    /// <summary>The class each example gets (the first of equal scores, as an argmax takes it).</summary>
    public int[] Predicted { get; }

    /// <summary>The share of examples predicted as labelled.</summary>
    public double Accuracy { get; }

    private static long Dot(int[] x, int[] c) => x.Zip(c, (a, b) => (long)a * b).Sum();

    private static int ArgMax(long[] scores) => Array.IndexOf(scores, scores.Max());
}
