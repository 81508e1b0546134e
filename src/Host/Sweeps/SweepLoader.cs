using System.Text.Json.Nodes;
using Conduit.Configuration;
using Conduit.Data;
using Conduit.Host.Jobs;
using Conduit.Host.Training.Callbacks;
using Conduit.Host.Sweeps.Search;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Sweeps;

/// <summary>
/// Reads a sweep in the shape W&amp;B sweep users know (<c>method</c>, <c>metric</c>, <c>parameters</c> keyed by job
/// setting paths, <c>max_trials</c>, <c>max_concurrent</c>, <c>seed</c>, <c>early_stop</c>), naming its job file with
/// <c>job:</c> or written as a <c>sweep:</c> section inside a job. Every problem is found before any trial starts,
/// each naming its key.
/// </summary>
public static class SweepLoader
{
    /// <summary>Loads the sweep (JSON or YAML) at <paramref name="path"/>; its job's relative file paths become absolute.</summary>
    /// <exception cref="JobValidationException">The file is missing or malformed, or a key is not allowed.</exception>
    public static SweepDefinition Load(string path)
    {
        string full = Path.GetFullPath(path);
        JsonObject document = ReadFile(full, path);
        string name = Path.GetFileName(full).Split('.')[0];
        return FromDocument(document, Path.GetDirectoryName(full), path, name);
    }

    /// <summary>
    /// The sweep in <paramref name="document"/>: a sweep with its job inline (or, with <paramref name="baseDirectory"/>,
    /// a job file relative to it), or a job with a <c>sweep</c> section.
    /// </summary>
    /// <exception cref="JobValidationException">A key is not allowed; every problem, each naming its key.</exception>
    public static SweepDefinition FromDocument(JsonObject document, string? baseDirectory = null, string source = "sweep", string fallbackName = "sweep")
    {
        ArgumentNullException.ThrowIfNull(document);
        var (sweep, job) = Split((JsonObject)document.DeepClone(), baseDirectory, source);
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sweep.ToJsonString()))).Build();
        var reader = new SettingsReader(configuration);
        string name = reader.String("name", job?["name"] is JsonValue jobName && jobName.GetValueKind() == System.Text.Json.JsonValueKind.String ? jobName.GetValue<string>() : fallbackName);
        if (PathSegment.Problem(name) is { } nameProblem)
        {
            reader.Problem("name", nameProblem);
        }
        reader.Raw("job");
        string method = reader.Choice("method", null, "grid", "random", "tpe") ?? "";
        if (!reader.Exists("method"))
        {
            reader.Problem("method", "is missing; expected grid, random or tpe");
        }
        SettingsReader metricSection = reader.Section("metric");
        var metric = new SweepMetric(metricSection.RequiredString("name", "the metric to optimize, such as val_acc"),
            metricSection.Choice("goal", "minimize", "maximize", "minimize") == "maximize");
        IReadOnlyList<ParameterSpace> parameters = SweepParameters.Read(reader, method == "grid");
        int gridSize = method == "grid" && parameters.All(p => p is ChoiceSpace) ? parameters.Aggregate(1, (n, p) => n * ((ChoiceSpace)p).Values.Count) : 0;
        int maxTrials = reader.Int("max_trials", gridSize, 1, 100_000);
        if (maxTrials == 0 && method is "random" or "tpe")
        {
            reader.Problem("max_trials", "is missing; expected how many trials to run, such as 16");
        }
        int maxConcurrent = reader.Int("max_concurrent", 1, 1, 1024);
        int seed = reader.Int("seed", 0);
        int maxEpochs = int.TryParse(job?["trainer"]?["max_epochs"]?.ToString(), out int epochs) ? epochs : 1000;
        EarlyStopSettings? earlyStop = reader.Exists("early_stop") ? ReadEarlyStop(reader.Section("early_stop"), maxEpochs) : null;
        CheckMetric(metricSection, metric.Name, earlyStop is not null);
        if (job is null)
        {
            reader.Problem("job", "is missing; expected the job file each trial starts from (job: digits.job.json) or the job inline");
        }
        reader.RejectUnknown();
        if (reader.Problems.Count > 0)
        {
            throw new JobValidationException(source, reader.Problems);
        }
        sweep["job"] = job!.DeepClone();
        return new SweepDefinition(name, job, method, metric, parameters, maxTrials, maxConcurrent, seed, earlyStop, sweep);
    }

    // The sweep's own keys, and its job: inline, a file beside the sweep, or the document itself around a sweep section.
    private static (JsonObject Sweep, JsonObject? Job) Split(JsonObject document, string? baseDirectory, string source)
    {
        if (document["sweep"] is JsonObject section)
        {
            document.Remove("sweep");
            if (baseDirectory is not null)
            {
                AbsoluteDataPaths(document, baseDirectory);
            }
            return (section, document);
        }
        switch (document["job"])
        {
            case JsonObject inline:
                if (baseDirectory is not null)
                {
                    AbsoluteDataPaths(inline, baseDirectory);
                }
                return (document, inline);
            case JsonValue file when baseDirectory is not null && file.ToString() is { Length: > 0 } relative:
                string path = Path.GetFullPath(Path.Combine(baseDirectory, relative));
                JsonObject job = File.Exists(path) ? ReadFile(path, $"job: {relative}") : throw new JobValidationException(source, [$"job: '{relative}' does not exist; expected the job file each trial starts from, relative to the sweep"]);
                AbsoluteDataPaths(job, Path.GetDirectoryName(path)!);
                return (document, job);
            case JsonValue:
                throw new JobValidationException(source, ["job: expected the job inline (a job file can be named only by a sweep file)"]);
            default:
                return (document, null);
        }
    }

    private static JsonObject ReadFile(string full, string shown)
    {
        if (!File.Exists(full))
        {
            throw new JobValidationException(shown, ["the sweep file does not exist"]);
        }
        bool yaml = Path.GetExtension(full).ToLowerInvariant() is ".yaml" or ".yml";
        var builder = new ConfigurationBuilder();
        try
        {
            IConfiguration configuration = (yaml ? builder.AddYamlFile(full, optional: false) : builder.AddJsonFile(full, optional: false)).Build();
            return ConfigurationJson.From(configuration) as JsonObject ?? [];
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException || e.GetType().Name.Contains("Yaml", StringComparison.Ordinal))
        {
            throw new JobValidationException(shown, [$"not valid {(yaml ? "YAML" : "JSON")}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}"]);
        }
    }

    // A trial's job is written in the store's folder: the data it names must not move with it.
    private static void AbsoluteDataPaths(JsonObject job, string folder)
    {
        if (job["data"] is not JsonObject data)
        {
            return;
        }
        foreach (var (key, value) in data.ToList())
        {
            if (Server.JobDocuments.IsFileKey(key) && value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                data[key] = Path.GetFullPath(Path.Combine(folder, v.GetValue<string>()));
            }
        }
    }

    private static EarlyStopSettings ReadEarlyStop(SettingsReader section, int maxEpochs)
    {
        string type = section.Choice("type", null, "asha", "median") ?? "";
        if (type.Length == 0 && section.String("type") is null)
        {
            section.Problem("type", "is missing; expected asha or median");
        }
        int grace = section.Int("grace_period", 1, 1, 100_000);
        double factor = type == "asha" ? section.Double("reduction_factor", 3, SettingRange.AtLeast(1.5)) : 3;
        int maxT = type == "asha" ? section.Int("max_t", maxEpochs, 1, 100_000) : maxEpochs;
        int minSamples = type == "median" ? section.Int("min_samples", 3, 1, 1000) : 3;
        if (type == "asha" && grace >= maxT)
        {
            section.Problem("grace_period", $"{grace} leaves no rung below max_t {maxT}; expected fewer epochs than max_t");
        }
        return new EarlyStopSettings(type, grace, factor, maxT, minSamples);
    }

    private static void CheckMetric(SettingsReader metric, string name, bool perEpoch)
    {
        // What the trainer logs after each epoch, for a classifier or a regressor; the test split's the same kinds at the end.
        string[] epochMetrics = [.. CallbackFactory.LoggedMetrics(TargetKind.Classification, validation: true)
            .Union(CallbackFactory.LoggedMetrics(TargetKind.Regression, validation: true))];
        string[] allowed = perEpoch ? epochMetrics
            : [.. epochMetrics, .. epochMetrics.Where(m => m.StartsWith("val_", StringComparison.Ordinal)).Select(m => "test_" + m["val_".Length..])];
        if (name.Length > 0 && !allowed.Contains(name, StringComparer.Ordinal))
        {
            metric.Problem("name", $"'{name}' is not a metric trials log{(perEpoch ? " after each epoch (early_stop judges them by it)" : "")}; expected one of {string.Join(", ", allowed)}");
        }
    }
}
