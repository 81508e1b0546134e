using System.Globalization;

namespace Conduit.Benchmarks.Process;

/// <summary>Collects the runs round by round and prints the medians: hand-written | conduit | ratio.</summary>
internal sealed class Results(BenchOptions options, IReadOnlyList<Side> sides)
{
    private readonly Dictionary<(Side Side, int Epochs), List<Run>> _runs = [];

    public static string Name(Side side) => side switch
    {
        Side.HandWritten => "hand-written",
        Side.ConduitJson => "conduit --json",
        _ => "conduit (console, piped)",
    };

    public void Add(Side side, int epochs, Run run)
    {
        if (!_runs.TryGetValue((side, epochs), out List<Run>? list))
        {
            _runs[(side, epochs)] = list = [];
        }
        list.Add(run);
    }

    public void Print(TextWriter writer)
    {
        int n = options.LongEpochs;
        var perEpoch = sides.ToDictionary(s => s, PerEpoch);
        var oneEpoch = sides.ToDictionary(s => s, s => Runs(s, 1).Select(r => r.Measured.Seconds).ToArray());
        var startUp = sides.ToDictionary(s => s, s => oneEpoch[s].Zip(perEpoch[s], (total, epoch) => total - epoch).ToArray());
        var peak = sides.ToDictionary(s => s, s => Runs(s, 1).Concat(Runs(s, n)).Select(r => r.Measured.PeakBytes / 1048576.0).ToArray());

        writer.WriteLine(I($"conduit run vs a hand-written TorchSharp program, whole processes: MLP {SyntheticIdx.Features}-128-{SyntheticIdx.Classes}, Adam lr 1e-3, batch 64, {SyntheticIdx.Rows:N0} synthetic rows (IDX), libtorch threads: {options.Threads}, {options.Rounds} alternating rounds, {Environment.ProcessorCount} cores"));
        writer.WriteLine();
        writer.WriteLine("| median                                          | hand-written | conduit | ratio |");
        writer.WriteLine("|-------------------------------------------------|-------------:|--------:|------:|");
        Row(writer, "per epoch, s, console off (--json)", perEpoch, Side.ConduitJson, "F3");
        Row(writer, "per epoch, s, console on (piped)", perEpoch, Side.ConduitConsole, "F3");
        Row(writer, "1-epoch run incl. start-up, s, console off", oneEpoch, Side.ConduitJson, "F2");
        Row(writer, "1-epoch run incl. start-up, s, console on", oneEpoch, Side.ConduitConsole, "F2");
        Row(writer, "start-up (1-epoch run − per epoch), s, off", startUp, Side.ConduitJson, "F2");
        Row(writer, "start-up (1-epoch run − per epoch), s, on", startUp, Side.ConduitConsole, "F2");
        Row(writer, "peak RSS, MiB, console off", peak, Side.ConduitJson, "F0");
        Row(writer, "peak RSS, MiB, console on", peak, Side.ConduitConsole, "F0");
        writer.WriteLine();
        writer.WriteLine(I($"per epoch: ({n}-epoch run − 1-epoch run) / {n - 1}, wall times of whole processes, so start-up cancels out."));
        writer.WriteLine("The hand-written program has no console output to switch; its column is the same runs in both rows.");
        writer.WriteLine(I($"hand-written, process start to first step (its own report): {Median(Reported(Side.HandWritten, r => r.StartToFirstStep)):F2} s"));
        double[] wait = Reported(Side.ConduitJson, r => r.DataWaitFraction);
        writer.WriteLine(I($"conduit run --json, dataWaitFraction: median {Median(wait):F4} (range {wait.Min():F4}..{wait.Max():F4})"));
        double[] accuracy = Reported(Side.ConduitJson, r => r.TrainAccuracy, n);
        writer.WriteLine(I($"train accuracy after {n} epochs (same data and model; a check, not a measure): hand-written {Median(Reported(Side.HandWritten, r => r.TrainAccuracy, n)):F4}, conduit {(accuracy.Length > 0 ? Median(accuracy).ToString("F4", CultureInfo.InvariantCulture) : "not reported")}"));
        writer.WriteLine();
        foreach (Side side in sides)
        {
            writer.WriteLine(I($"per epoch by round, {Name(side)}: {string.Join(" ", perEpoch[side].Select(s => s.ToString("F3", CultureInfo.InvariantCulture)))} s"));
        }
    }

    // Each round's long run minus its one-epoch run, over the epochs between them: start-up cancels out.
    private double[] PerEpoch(Side side) =>
        [.. Runs(side, options.LongEpochs).Zip(Runs(side, 1), (long_, short_) => (long_.Measured.Seconds - short_.Measured.Seconds) / (options.LongEpochs - 1))];

    private List<Run> Runs(Side side, int epochs) => _runs.TryGetValue((side, epochs), out List<Run>? list) ? list : [];

    private double[] Reported(Side side, Func<Run, double?> value, int? epochs = null) =>
        [.. (epochs is { } e ? Runs(side, e) : Runs(side, 1).Concat(Runs(side, options.LongEpochs))).Select(value).OfType<double>()];

    private static void Row(TextWriter writer, string label, Dictionary<Side, double[]> values, Side conduit, string format)
    {
        double baseline = Median(values[Side.HandWritten]), measured = Median(values[conduit]);
        string F(double value) => value.ToString(format, CultureInfo.InvariantCulture);
        writer.WriteLine(I($"| {label,-47} | {F(baseline),12} | {F(measured),7} | {measured / baseline,5:F2} |"));
    }

    private static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }
        double[] sorted = [.. values.Order()];
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
