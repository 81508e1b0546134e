using System.Text.Json.Nodes;
using Conduit.Host.Sweeps.EarlyStop;
using Conduit.Host.Sweeps.Search;

namespace Conduit.Host.Sweeps;

/// <summary>The metric a sweep optimizes, and which way.</summary>
/// <param name="Name">A metric every trial logs after each epoch (<c>val_acc</c>, <c>val_loss</c>).</param>
/// <param name="Maximize">Whether higher is better.</param>
public sealed record SweepMetric(string Name, bool Maximize)
{
    /// <summary><paramref name="value"/> as a loss: lower is better.</summary>
    public double Loss(double value) => Maximize ? -value : value;

    /// <summary>A loss back as the metric's value.</summary>
    public double Value(double loss) => Maximize ? -loss : loss;

    /// <summary>Whether <paramref name="a"/> is better than <paramref name="b"/>.</summary>
    public bool Better(double a, double b) => Maximize ? a > b : a < b;
}

/// <summary>How trials are stopped early: ASHA's rungs, or the median rule.</summary>
/// <param name="Type"><c>asha</c> or <c>median</c>.</param>
/// <param name="GracePeriod">Epochs every trial runs before it can be stopped.</param>
/// <param name="ReductionFactor">ASHA: one trial in this many goes on at each rung.</param>
/// <param name="MaxT">ASHA: the most epochs a trial runs (its job's <c>trainer.max_epochs</c>).</param>
/// <param name="MinSamples">Median: how many other trials must have reached an epoch before one is judged at it.</param>
public sealed record EarlyStopSettings(string Type, int GracePeriod, double ReductionFactor, int MaxT, int MinSamples)
{
    /// <summary>A fresh rule with these settings.</summary>
    public IEarlyStopRule Create() => Type == "asha"
        ? new AshaRule(GracePeriod, ReductionFactor, MaxT)
        : new MedianRule(GracePeriod, MinSamples);
}

/// <summary>
/// A loaded sweep: the job every trial starts from, the parameters it varies and how they are searched, and when a
/// trial stops early. <see cref="Document"/> is the whole sweep, its job inline, as the store keeps it: a server or
/// controller that restarts continues from it without the original files.
/// </summary>
public sealed record SweepDefinition(
    string Name,
    JsonObject Job,
    string Method,
    SweepMetric Metric,
    IReadOnlyList<ParameterSpace> Parameters,
    int MaxTrials,
    int MaxConcurrent,
    int Seed,
    EarlyStopSettings? EarlyStop,
    JsonObject Document)
{
    /// <summary>A fresh search of this sweep's kind.</summary>
    public ISearchMethod CreateSearch() => Method switch
    {
        "grid" => new GridSearch(Parameters),
        "random" => new RandomSearch(Parameters, Seed),
        _ => new TpeSearch(Parameters, Seed),
    };

    /// <summary>Trial <paramref name="number"/>'s job: the sweep's job with <paramref name="parameters"/> set, named after the trial.</summary>
    public JsonObject TrialJob(int number, ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var job = (JsonObject)Job.DeepClone();
        job["name"] = $"{Name}-t{number:D3}";
        foreach (var (path, value) in parameters.Values)
        {
            Set(job, path, value.DeepClone());
        }
        if (EarlyStop is { Type: "asha", MaxT: var maxT })
        {
            Set(job, "trainer.max_epochs", JsonValue.Create(maxT));
        }
        return job;
    }

    // Sets a dotted path, creating the sections on the way.
    private static void Set(JsonObject job, string path, JsonNode value)
    {
        string[] keys = path.Split('.');
        JsonObject section = job;
        foreach (string key in keys[..^1])
        {
            if (section[key] is not JsonObject child)
            {
                child = [];
                section[key] = child;
            }
            section = child;
        }
        section[keys[^1]] = value;
    }
}
