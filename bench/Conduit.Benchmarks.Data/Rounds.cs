using System.Diagnostics;
using System.Globalization;

namespace Conduit.Benchmarks.Data;

/// <summary>Alternates contenders round by round (so machine noise hits each alike) and keeps the median.</summary>
internal static class Rounds
{
    public static async Task<double[]> MedianSecondsAsync(int rounds, params Func<Task>[] contenders)
    {
        var times = contenders.Select(_ => new List<double>()).ToArray();
        foreach (Func<Task> contender in contenders)
        {
            await contender(); // warm-up: JIT, page cache
        }
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < contenders.Length; k++)
            {
                int c = round % 2 == 0 ? k : contenders.Length - 1 - k;
                long started = Stopwatch.GetTimestamp();
                await contenders[c]();
                times[c].Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
        return [.. times.Select(t => t.Order().ElementAt(t.Count / 2))];
    }

    public static string F(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);
}
