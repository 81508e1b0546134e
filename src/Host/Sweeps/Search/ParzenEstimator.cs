namespace Conduit.Host.Sweeps.Search;

/// <summary>
/// A TPE density over one numeric parameter (in the coordinate the search works in: the value, or its logarithm):
/// an equal-weight mixture of Gaussians truncated to [low, high], one on each observation plus a broad prior one.
/// </summary>
internal sealed class ParzenEstimator
{
    private const double Sqrt2 = 1.4142135623730951;
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    private readonly double _low;
    private readonly double _high;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    // log of each component's mass inside [low, high], which its truncated density is divided by.
    private readonly double[] _logMass;

    /// <summary>Fits the mixture to <paramref name="observations"/>, each within [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public ParzenEstimator(IReadOnlyList<double> observations, double low, double high)
    {
        _low = low;
        _high = high;
        // A range of one point (min = max) has nothing to model: one unit-width component keeps the arithmetic finite.
        double range = high > low ? high - low : 1.0;
        double prior = 0.5 * (low + high);
        // The prior sits among the observations, in order, so that it bounds its neighbours' bandwidths as they bound its own.
        var mus = observations.Append(prior).Order().ToArray();
        int priorAt = Array.IndexOf(mus, prior);
        var sigmas = new double[mus.Length];
        // Each bandwidth is the larger gap to a neighbour (the ends have one neighbour), clipped so that many close
        // observations do not collapse to spikes and few do not spread past the range (Bergstra et al.'s "magic clip").
        double minSigma = range / Math.Min(100.0, 1.0 + observations.Count);
        for (int i = 0; i < mus.Length; i++)
        {
            double left = i > 0 ? mus[i] - mus[i - 1] : 0;
            double right = i < mus.Length - 1 ? mus[i + 1] - mus[i] : 0;
            sigmas[i] = Math.Clamp(Math.Max(left, right), minSigma, range);
        }
        sigmas[priorAt] = range;
        _mus = mus;
        _sigmas = sigmas;
        _logMass = new double[mus.Length];
        for (int i = 0; i < mus.Length; i++)
        {
            _logMass[i] = Math.Log(Math.Max(Cdf((high - mus[i]) / sigmas[i]) - Cdf((low - mus[i]) / sigmas[i]), 1e-300));
        }
    }

    /// <summary>A draw from the mixture: a component at random, then its Gaussian until the draw falls in range.</summary>
    public double Sample(Random random)
    {
        int k = random.Next(_mus.Length);
        // Every centre lies in range and no bandwidth exceeds it, so at least a third of each component's mass is
        // inside: rejection ends quickly; the clamp is only a guard.
        double x = _mus[k];
        for (int attempt = 0; attempt < 100; attempt++)
        {
            x = _mus[k] + (_sigmas[k] * StandardNormal(random));
            if (x >= _low && x <= _high)
            {
                return x;
            }
        }
        return Math.Clamp(x, _low, _high);
    }

    /// <summary>The log density of the mixture at <paramref name="x"/>.</summary>
    public double LogPdf(double x)
    {
        // log-sum-exp of the components' log densities, so that far tails do not underflow to log 0.
        var terms = new double[_mus.Length];
        double max = double.NegativeInfinity;
        for (int i = 0; i < _mus.Length; i++)
        {
            double z = (x - _mus[i]) / _sigmas[i];
            terms[i] = (-0.5 * z * z) - LogSqrt2Pi - Math.Log(_sigmas[i]) - _logMass[i];
            max = Math.Max(max, terms[i]);
        }
        double sum = 0;
        foreach (double term in terms)
        {
            sum += Math.Exp(term - max);
        }
        return max + Math.Log(sum / _mus.Length);
    }

    private static double StandardNormal(Random random)
    {
        // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>The standard normal distribution function.</summary>
    private static double Cdf(double z) => 0.5 * Erfc(-z / Sqrt2);

    /// <summary>The complementary error function (Numerical Recipes' Chebyshev fit, relative error under 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + (0.5 * z));
        double poly = -z * z - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double r = t * Math.Exp(poly);
        return x >= 0 ? r : 2.0 - r;
    }
}
