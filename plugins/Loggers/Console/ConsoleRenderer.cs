using System.Globalization;
using System.Text;
using Conduit.Frameworks;
using Conduit.Messages;
using Spectre.Console;

namespace Conduit.Loggers.Console;

/// <summary>
/// Turns messages into console output. Runs on the printer task only, one item at a time, so it needs no locks; what
/// it remembers (the epoch limit, the run's name, whether a live line is showing) follows publish order.
/// </summary>
internal sealed class ConsoleRenderer(IAnsiConsole console, bool live)
{
    private const int MinBarWidth = 8;
    private const int MaxBarWidth = 30;
    private const int StableTailWidth = 38; // rate, ETA and loss; reserved whole so the bar keeps its width
    private int? _maxEpochs;
    private string? _runName;
    private string? _lastCheckpoint;
    private int _liveLength;

    /// <summary>Whether the live line is drawn in place (otherwise progress is printed as plain lines).</summary>
    public bool Live => live;

    public void Render(object item)
    {
        switch (item)
        {
            case RunStarted run:
                RenderRunStarted(run);
                break;
            case EpochStarted started:
                _maxEpochs = started.MaxEpochs ?? _maxEpochs;
                break;
            case ProgressUpdate progress:
                RenderProgress(progress);
                break;
            case EpochEnded epoch:
                RenderEpoch(epoch);
                break;
            case CheckpointSaved checkpoint:
                RenderCheckpoint(checkpoint);
                break;
            case RunEnded ended:
                RenderRunEnded(ended);
                break;
        }
    }

    /// <summary>Ends a live line that is showing, so that what comes next starts on a line of its own.</summary>
    public void EndLiveLine()
    {
        if (_liveLength > 0)
        {
            ClearLiveLine();
        }
    }

    private void RenderRunStarted(RunStarted run)
    {
        EndLiveLine();
        _maxEpochs = null;
        _runName = run.Name;
        string title = $"[bold]{Markup.Escape(run.Name)}[/] · {Markup.Escape(run.Stage)} · run {Markup.Escape(run.RunId)}";
        console.Write(new Rule(title) { Justification = Justify.Left });
        if (run.Model is { } model)
        {
            RenderSummary(model);
        }
    }

    private void RenderSummary(ModelSummary summary)
    {
        EndLiveLine();
        var table = new Table()
            .Border(TableBorder.HeavyHead)
            .AddColumn(new TableColumn("Layer (type)"))
            .AddColumn(new TableColumn("Output Shape"))
            .AddColumn(new TableColumn("Param #").RightAligned());
        foreach (LayerSummary layer in summary.Layers)
        {
            string name = Markup.Escape($"{layer.Name} ({layer.Type})");
            string parameters = Formatting.Count(layer.Parameters);
            table.AddRow(layer.Trainable || layer.Parameters == 0 ? name : $"{name} [dim](frozen)[/]", Markup.Escape(layer.OutputShape), parameters);
        }
        console.Write(table);

        // The size is known for the whole model; split it in proportion to the parameter counts.
        double bytesPerParameter = summary.TotalParameters > 0 ? (double)summary.SizeBytes / summary.TotalParameters : 0;
        WriteTotal("Total params", summary.TotalParameters, summary.SizeBytes);
        WriteTotal("Trainable params", summary.TrainableParameters, summary.TrainableParameters * bytesPerParameter);
        WriteTotal("Non-trainable params", summary.NonTrainableParameters, summary.NonTrainableParameters * bytesPerParameter);
    }

    private void WriteTotal(string label, long count, double bytes)
        => console.MarkupLine($"[bold] {label}:[/] {Formatting.Count(count)} ({Formatting.Megabytes(bytes)})");

    private void RenderProgress(ProgressUpdate p)
    {
        string epoch = Formatting.Epoch(p.Epoch, _maxEpochs);
        var tail = new StringBuilder(64);
        tail.Append("  ").Append(Formatting.Rate(p.RatePerSecond));
        if (p.Eta is TimeSpan eta && eta > TimeSpan.Zero)
        {
            tail.Append("  ETA ").Append(Formatting.Duration(eta));
        }
        tail.Append("  loss ").Append(Formatting.Metric(p.MeanLoss));

        if (p.Total is not long total || total <= 0)
        {
            string line = string.Create(CultureInfo.InvariantCulture, $"{epoch}  step {p.Done}{tail}");
            WriteProgress(line);
            return;
        }
        double fraction = Math.Clamp((double)p.Done / total, 0, 1);
        if (!live)
        {
            WriteProgress(string.Create(CultureInfo.InvariantCulture, $"{epoch}  step {p.Done}/{total} ({fraction * 100:F0}%){tail}"));
            return;
        }
        string done = p.Done.ToString(CultureInfo.InvariantCulture).PadLeft(total.ToString(CultureInfo.InvariantCulture).Length);
        string head = string.Create(CultureInfo.InvariantCulture, $"{epoch}  {done}/{total} ");
        string percent = string.Create(CultureInfo.InvariantCulture, $" {fraction * 100,3:F0}%");
        // The bar takes what the terminal leaves, so that rate, ETA and loss fit on the line.
        int room = console.Profile.Width - 1 - head.Length - percent.Length - Math.Max(tail.Length, StableTailWidth) - 2;
        string bar = room >= MinBarWidth ? Bar(fraction, Math.Min(MaxBarWidth, room)) : "";
        WriteProgress(head + bar + percent + tail);
    }

    private void WriteProgress(string line)
    {
        if (live)
        {
            DrawLiveLine(line);
        }
        else
        {
            console.WriteLine(line);
        }
    }

    private void RenderEpoch(EpochEnded epoch)
    {
        EndLiveLine();
        var line = new StringBuilder(128);
        line.Append("[bold]").Append(Formatting.Epoch(epoch.Epoch, _maxEpochs)).Append("[/]");
        foreach ((string name, double value) in epoch.Metrics)
        {
            line.Append("  [dim]").Append(Markup.Escape(name)).Append("[/] ").Append(Formatting.Metric(value));
        }
        line.Append("  [dim](").Append(Formatting.Duration(epoch.Duration)).Append(")[/]");
        console.MarkupLine(line.ToString());
    }

    // A checkpoint ranked by a monitored metric is news (the best so far changed); last.ckpt after every epoch is not:
    // it is said once, when the run ends.
    private void RenderCheckpoint(CheckpointSaved checkpoint)
    {
        if (checkpoint.Monitor is null)
        {
            _lastCheckpoint = checkpoint.Path;
            return;
        }
        EndLiveLine();
        string monitor = checkpoint.Monitor is KeyValuePair<string, double> m
            ? $", {Markup.Escape(m.Key)} {Formatting.Metric(m.Value)}"
            : "";
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[dim]checkpoint[/] {Markup.Escape(checkpoint.Path)} [dim](epoch {checkpoint.Epoch + 1}, step {checkpoint.GlobalStep}{monitor})[/]"));
    }

    private void RenderRunEnded(RunEnded run)
    {
        EndLiveLine();
        if (run.Metrics.Count > 0)
        {
            var table = new Table()
                .Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("Metric"))
                .AddColumn(new TableColumn("Value").RightAligned());
            foreach ((string name, double value) in run.Metrics)
            {
                table.AddRow(Markup.Escape(name), Formatting.Metric(value));
            }
            console.Write(table);
        }

        string who = Markup.Escape(_runName ?? run.RunId);
        string duration = Formatting.Duration(run.Duration);
        string error = string.IsNullOrWhiteSpace(run.Error) ? "" : ": " + Markup.Escape(run.Error);
        string status = run.Status switch
        {
            RunStatus.Completed => $"[green]{who} completed[/] in {duration}",
            RunStatus.Stopped => $"[yellow]{who} stopped early[/] after {duration}{error}",
            RunStatus.Canceled => $"[yellow]{who} was canceled[/] after {duration}{error}",
            RunStatus.Interrupted => $"[yellow]{who} was interrupted[/] after {duration}{error}",
            RunStatus.Failed => $"[red]{who} failed[/] after {duration}{error}",
            _ => $"{who} ended ({Markup.Escape(run.Status.ToString())}) after {duration}{error}",
        };
        console.MarkupLine(status);
        if (_lastCheckpoint is not null)
        {
            console.MarkupLine($"[dim]checkpoint[/] {Markup.Escape(_lastCheckpoint)} [dim](--resume last continues from it)[/]");
            _lastCheckpoint = null;
        }
    }

    // [=========>..........] in a given number of cells (plus the brackets).
    private static string Bar(double fraction, int width)
    {
        int filled = (int)Math.Round(fraction * width);
        var bar = new StringBuilder(width + 2).Append('[');
        if (filled >= width)
        {
            bar.Append('=', width);
        }
        else if (filled > 0)
        {
            bar.Append('=', filled - 1).Append('>').Append('.', width - filled);
        }
        else
        {
            bar.Append('.', width);
        }
        return bar.Append(']').ToString();
    }

    private void DrawLiveLine(string text)
    {
        int width = Math.Max(20, console.Profile.Width - 1);
        if (text.Length > width)
        {
            text = text[..width];
        }
        if (console.Profile.Capabilities.Ansi)
        {
            console.Write(new ControlCode("\r\u001b[2K"));
            console.Write(new Text(text));
        }
        else
        {
            TextWriter raw = console.Profile.Out.Writer;
            raw.Write('\r');
            raw.Write(text.PadRight(_liveLength));
        }
        console.Profile.Out.Writer.Flush();
        _liveLength = text.Length;
    }

    private void ClearLiveLine()
    {
        if (console.Profile.Capabilities.Ansi)
        {
            console.Write(new ControlCode("\r\u001b[2K"));
        }
        else
        {
            TextWriter raw = console.Profile.Out.Writer;
            raw.Write('\r');
            raw.Write(new string(' ', _liveLength));
            raw.Write('\r');
        }
        _liveLength = 0;
    }
}
