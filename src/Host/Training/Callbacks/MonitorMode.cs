namespace Conduit.Host.Training.Callbacks;

/// <summary>Whether a monitored metric improves downwards (loss) or upwards (accuracy).</summary>
public enum MonitorMode
{
    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>Comparisons by <see cref="MonitorMode"/>.</summary>
public static class MonitorModeExtensions
{
    /// <summary>Whether <paramref name="candidate"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/>.</summary>
    public static bool Improves(this MonitorMode mode, double candidate, double? best, double minDelta = 0) =>
        best is not double b || (mode == MonitorMode.Min ? candidate < b - minDelta : candidate > b + minDelta);
}
