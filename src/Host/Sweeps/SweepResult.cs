using System.Text.Json.Nodes;

namespace Conduit.Host.Sweeps;

/// <summary>One trial as a sweep's result shows it.</summary>
/// <param name="Trial">Its number.</param>
/// <param name="Parameters">Its parameters, path to value.</param>
/// <param name="Status"><c>running</c>, <c>completed</c>, <c>pruned</c>, <c>failed</c> or <c>canceled</c>.</param>
/// <param name="Metric">The sweep's metric: final, else the last reported.</param>
/// <param name="Epochs">Epochs it ran.</param>
/// <param name="Rung">The epoch it was pruned at.</param>
/// <param name="Reason">Why it was pruned, failed or canceled.</param>
/// <param name="Metrics">Its final metrics (test metrics included).</param>
/// <param name="JobId">Its job.</param>
/// <param name="RunId">Its run in the experiment store.</param>
/// <param name="Model">Its exported model.</param>
/// <param name="Checkpoints">Its checkpoint folder.</param>
public sealed record TrialResult(int Trial, JsonObject Parameters, string Status, double? Metric, int Epochs, int? Rung, string? Reason,
    IReadOnlyDictionary<string, double>? Metrics, string JobId, string? RunId, string? Model, string Checkpoints);

/// <summary>A sweep's state and trials, best first: what <c>conduit sweep --json</c> prints and <c>GET /api/sweeps/{id}</c> returns.</summary>
/// <param name="Id">The sweep's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status"><c>running</c>, <c>completed</c>, <c>canceled</c> or <c>failed</c>.</param>
/// <param name="Reason">Why it ended so, when not completed.</param>
/// <param name="Method">grid, random or tpe.</param>
/// <param name="Metric">The metric optimized.</param>
/// <param name="Goal"><c>maximize</c> or <c>minimize</c>.</param>
/// <param name="MaxTrials">Trials it runs at most.</param>
/// <param name="Trials">Its trials, sorted by the metric, best first (those without a value last).</param>
/// <param name="Best">The best completed trial.</param>
/// <param name="Plots">The plots drawn for it, when any.</param>
public sealed record SweepResult(string Id, string Name, string Status, string? Reason, string Method, string Metric, string Goal, int MaxTrials,
    IReadOnlyList<TrialResult> Trials, TrialResult? Best, IReadOnlyList<string> Plots)
{
    /// <summary>The result of <paramref name="sweep"/> from the store, its trials' folders under <paramref name="jobsRoot"/>.</summary>
    public static SweepResult Of(SweepRecord sweep, IReadOnlyList<TrialRecord> trials, string jobsRoot, IReadOnlyList<string>? plots = null)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        SweepDefinition definition = SweepLoader.FromDocument(sweep.Document);
        SweepMetric metric = definition.Metric;
        List<TrialResult> sorted = [.. trials
            .OrderBy(t => t.Value is null)
            .ThenBy(t => t.Value is { } v ? metric.Loss(v) : 0)
            .ThenBy(t => t.Number)
            .Select(t => new TrialResult(t.Number, JsonNode.Parse(t.Parameters.Key)!.AsObject(), t.Status, t.Value, t.Epochs, t.Rung, t.Reason, t.Metrics,
                t.JobId, t.RunId, t.Model, Path.Combine(jobsRoot, t.JobId, $"{definition.Name}-t{t.Number:D3}", "checkpoints")))];
        return new SweepResult(sweep.Id, sweep.Name, sweep.Status, sweep.Reason, definition.Method, metric.Name, metric.Maximize ? "maximize" : "minimize",
            definition.MaxTrials, sorted, sorted.FirstOrDefault(t => t.Status == "completed" && t.Metric is not null), plots ?? []);
    }
}
