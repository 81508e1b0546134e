namespace Conduit.Host.Sweeps.EarlyStop;

/// <summary>Quantiles as numpy's percentile computes them by default: linear interpolation between the closest ranks.</summary>
internal static class Quantile
{
    /// <summary>The <paramref name="q"/> quantile (0 to 1) of <paramref name="values"/>, which must not be empty.</summary>
    public static double Linear(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double fraction = position - below;
        // Equal neighbours (infinite losses included) need no interpolation, which would give inf - inf = NaN.
        return fraction == 0 || sorted[below] == sorted[above]
            ? sorted[below]
            : sorted[below] + ((sorted[above] - sorted[below]) * fraction);
    }
}
