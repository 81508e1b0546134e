using Conduit.Host.Sweeps.Search;
using ScottPlot;

namespace Conduit.Host.Sweeps;

/// <summary>
/// A sweep's plots with ScottPlot: the metric against each parameter (a log axis for log-uniform ones, the values in
/// order for lists), and every trial's learning curve (the metric after each epoch), pruned trials ending early.
/// </summary>
internal static class SweepPlots
{
    /// <summary>Draws the plots into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Save(string folder, SweepDefinition sweep, IReadOnlyList<TrialRecord> trials, IReadOnlyList<(int Number, int Epoch, double Value)> reports)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        List<TrialRecord> measured = [.. trials.Where(t => t.Value is not null)];
        foreach (ParameterSpace space in sweep.Parameters)
        {
            var plot = new Plot();
            foreach (var group in measured.GroupBy(t => t.Status))
            {
                double[] xs = [.. group.Select(t => X(space, t.Parameters[space.Path]))];
                var dots = plot.Add.ScatterPoints(xs, [.. group.Select(t => t.Value!.Value)]);
                dots.LegendText = group.Key;
                dots.MarkerSize = 8;
            }
            if (space is ChoiceSpace choices)
            {
                plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, choices.Values.Count).Select(i => (double)i)], [.. choices.Values.Select(v => v.ToJsonString())]);
            }
            plot.XLabel(space is LogUniformSpace ? $"log10({space.Path})" : space.Path);
            paths.Add(Save(plot, folder, $"{sweep.Metric.Name}-vs-{space.Path}.png", $"{sweep.Metric.Name} against {space.Path}", sweep.Metric.Name));
        }
        var curves = new Plot();
        foreach (var trial in reports.GroupBy(r => r.Number))
        {
            // A resumed trial reports some epochs again: the last report of an epoch counts.
            var points = trial.GroupBy(r => r.Epoch).Select(g => g.Last()).OrderBy(r => r.Epoch).ToList();
            var line = curves.Add.Scatter(points.Select(p => (double)p.Epoch).ToArray(), points.Select(p => p.Value).ToArray());
            line.LegendText = $"t{trial.Key}";
            line.MarkerSize = 3;
        }
        curves.XLabel("epoch");
        paths.Add(Save(curves, folder, "learning-curves.png", $"{sweep.Metric.Name} of every trial", sweep.Metric.Name));
        return paths;
    }

    private static string Save(Plot plot, string folder, string file, string title, string metric)
    {
        plot.Title(title);
        plot.YLabel(metric);
        plot.ShowLegend();
        string path = Path.Combine(folder, file);
        plot.SavePng(path, 800, 500);
        return path;
    }

    private static double X(ParameterSpace space, System.Text.Json.Nodes.JsonNode value) => space switch
    {
        ChoiceSpace choices => choices.Values.Select(v => v.ToJsonString()).ToList().IndexOf(value.ToJsonString()),
        LogUniformSpace => Math.Log10(value.GetValue<double>()),
        _ => value.GetValue<double>(),
    };
}
