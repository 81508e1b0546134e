using System.Globalization;
using System.Text.Json.Nodes;
using Conduit.Host.Server;
using Conduit.Host.Sweeps;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary>What <c>conduit sweep</c> says: one line as it starts, one as each trial ends, then the trials sorted by the metric and the best.</summary>
internal sealed class SweepProgress(CliConsole console, SweepDefinition sweep, bool json)
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _told = [];

    public void Started(string id, int ended, ServerOptions options)
    {
        if (!json)
        {
            string stop = sweep.EarlyStop is { } e ? $", {e.Type} early stopping" : "";
            string where = options.NatsUrl is { } nats ? $"on NATS {nats}" : $"{options.Workers} worker process(es)";
            console.Error.WriteLine(ended > 0
                ? $"conduit: continuing sweep {id}: {ended} of {sweep.MaxTrials} trials done; {where}"
                : $"conduit: sweep {id}: {sweep.MaxTrials} {sweep.Method} trials, {sweep.Metric.Name} ({Goal}){stop}; {where}; store {options.StorePath}");
        }
    }

    public void OnTrial(string id, TrialRecord trial)
    {
        if (json || !trial.Ended)
        {
            return;
        }
        string value = trial.Value is { } v ? $"{sweep.Metric.Name} {v.ToString("G4", CultureInfo.InvariantCulture)}" : "no value";
        string line = trial.Status switch
        {
            "pruned" => $"trial {trial.Number} pruned at epoch {trial.Rung}: {trial.Reason}",
            "completed" => $"trial {trial.Number} completed: {value} after {trial.Epochs} epoch(s)",
            _ => $"trial {trial.Number} {trial.Status}: {trial.Reason}",
        };
        lock (_gate)
        {
            // A pruned trial changes once more when its job ends; it is told once.
            if (_told.Add(trial.Number))
            {
                console.Error.WriteLine($"  {line}  {trial.Parameters.Key}");
            }
        }
    }

    public void Finished(SweepResult result)
    {
        if (json)
        {
            console.WriteJson(result);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Trial");
        foreach (var space in sweep.Parameters)
        {
            table.AddColumn(Markup.Escape(space.Path));
        }
        string[] tests = [.. result.Trials.SelectMany(t => t.Metrics?.Keys ?? []).Where(k => k.StartsWith("test_", StringComparison.Ordinal)).Distinct().Order()];
        table.AddColumns([Markup.Escape(result.Metric), .. tests, "Status", "Epochs"]);
        foreach (TrialResult trial in result.Trials)
        {
            table.AddRow([trial.Trial.ToString(CultureInfo.InvariantCulture),
                .. sweep.Parameters.Select(p => Markup.Escape(Show(trial.Parameters[p.Path]))),
                Number(trial.Metric), .. tests.Select(t => Number(trial.Metrics?.GetValueOrDefault(t))), trial.Status, trial.Epochs.ToString(CultureInfo.InvariantCulture)]);
        }
        console.Ansi.Write(table);
        console.Ansi.MarkupLine(Markup.Escape($"sweep {result.Id}: {result.Status}{(result.Reason is { } r ? $" ({r})" : "")}; " +
            $"{result.Trials.Count(t => t.Status == "completed")} completed, {result.Trials.Count(t => t.Status == "pruned")} pruned, {result.Trials.Count(t => t.Status is "failed" or "canceled")} failed or canceled"));
        if (result.Best is { } best)
        {
            string scores = string.Join(", ", tests.Where(t => best.Metrics?.ContainsKey(t) == true).Select(t => $"{t} {Number(best.Metrics![t])}"));
            console.Ansi.MarkupLine(Markup.Escape($"best: trial {best.Trial}, {result.Metric} {Number(best.Metric)}{(scores.Length > 0 ? ", " + scores : "")}, {best.Parameters.ToJsonString()}"));
            console.Ansi.MarkupLine(Markup.Escape($"  checkpoints {best.Checkpoints}"));
            if (best.Model is { } model)
            {
                console.Ansi.MarkupLine(Markup.Escape($"  model {model}"));
            }
        }
        foreach (string plot in result.Plots)
        {
            console.Ansi.MarkupLine(Markup.Escape($"plot {plot}"));
        }
    }

    private string Goal => sweep.Metric.Maximize ? "maximize" : "minimize";

    private static string Number(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";

    // Sampled numbers to four significant digits; lists and names as they are.
    private static string Show(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.ToJsonString().Contains('.', StringComparison.Ordinal)
            ? v.GetValue<double>().ToString("G4", CultureInfo.InvariantCulture)
            : value?.ToJsonString() ?? "";
}
