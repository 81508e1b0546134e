using System.Globalization;

namespace Conduit.Loggers.Console;

/// <summary>Numbers, sizes and durations as the console shows them: invariant culture, short, aligned.</summary>
internal static class Formatting
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A metric value: four decimals for ordinary magnitudes, scientific notation for very small or large ones.</summary>
    public static string Metric(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        double magnitude = Math.Abs(value);
        return value == 0 || (magnitude >= 1e-3 && magnitude < 1e6)
            ? value.ToString("F4", Invariant)
            : value.ToString("0.000e+0", Invariant);
    }

    /// <summary>A count with thousands separators: <c>55,050</c>.</summary>
    public static string Count(long value) => value.ToString("N0", Invariant);

    /// <summary>A size in mebibytes with two decimals: <c>0.21 MB</c>.</summary>
    public static string Megabytes(double bytes) => (bytes / (1024.0 * 1024.0)).ToString("F2", Invariant) + " MB";

    /// <summary>A duration: <c>45 ms</c>, <c>1.2 s</c>, <c>2m 03s</c>, <c>1h 02m 03s</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        double seconds = Math.Max(0, duration.TotalSeconds);
        if (seconds < 0.1)
        {
            return (seconds * 1000).ToString("F0", Invariant) + " ms";
        }
        if (seconds < 60)
        {
            return seconds.ToString("F1", Invariant) + " s";
        }
        long whole = (long)Math.Round(seconds);
        long h = whole / 3600, m = whole / 60 % 60, s = whole % 60;
        return h > 0
            ? string.Create(Invariant, $"{h}h {m:00}m {s:00}s")
            : string.Create(Invariant, $"{m}m {s:00}s");
    }

    /// <summary>A rate the way tqdm shows it: <c>235.2 it/s</c>, or <c>2.35 s/it</c> when slower than one per second.</summary>
    public static string Rate(double perSecond)
    {
        if (perSecond <= 0 || double.IsNaN(perSecond) || double.IsInfinity(perSecond))
        {
            return "? it/s";
        }
        return perSecond >= 1
            ? perSecond.ToString("F1", Invariant) + " it/s"
            : (1 / perSecond).ToString("F2", Invariant) + " s/it";
    }

    /// <summary>The 1-based epoch, with the epoch limit when there is one: <c>epoch 3/10</c>.</summary>
    public static string Epoch(int epoch, int? maxEpochs)
        => maxEpochs is int max
            ? string.Create(Invariant, $"epoch {epoch + 1}/{max}")
            : string.Create(Invariant, $"epoch {epoch + 1}");
}
