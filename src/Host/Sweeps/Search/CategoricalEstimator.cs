namespace Conduit.Host.Sweeps.Search;

/// <summary>A TPE density over the values of a choice: how often each was observed, plus a prior weight of one each.</summary>
internal sealed class CategoricalEstimator
{
    private readonly double[] _weights;
    private readonly double _total;

    /// <summary>Counts <paramref name="observations"/> (indices into the choice's <paramref name="count"/> values).</summary>
    public CategoricalEstimator(IReadOnlyList<int> observations, int count)
    {
        // The prior weight keeps every value possible, however one-sided the observations.
        _weights = new double[count];
        Array.Fill(_weights, 1.0);
        foreach (int index in observations)
        {
            _weights[index] += 1.0;
        }
        _total = count + observations.Count;
    }

    /// <summary>An index drawn in proportion to the weights.</summary>
    public int Sample(Random random)
    {
        double u = random.NextDouble() * _total;
        for (int i = 0; i < _weights.Length - 1; i++)
        {
            u -= _weights[i];
            if (u < 0)
            {
                return i;
            }
        }
        return _weights.Length - 1;
    }

    /// <summary>The log probability of the value at <paramref name="index"/>.</summary>
    public double LogPdf(int index) => Math.Log(_weights[index] / _total);
}
