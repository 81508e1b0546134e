using ScottPlot;

namespace Conduit.Host.Cli;

/// <summary>Draws metric curves with ScottPlot: one line per run against the global step.</summary>
internal static class MetricPlot
{
    public static void Save(string path, string metric, IReadOnlyList<(string Label, IReadOnlyList<(long Step, int Epoch, double Value)> Points)> series, int width, int height)
    {
        var plot = new Plot();
        foreach (var (label, points) in series)
        {
            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Value).ToArray());
            line.LegendText = label;
            line.MarkerSize = points.Count > 200 ? 0 : 4;
        }
        plot.Title(metric);
        plot.XLabel("step");
        plot.YLabel(metric);
        plot.ShowLegend();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plot.SaveSvg(path, width, height);
        }
        else
        {
            plot.SavePng(path, width, height);
        }
    }
}
