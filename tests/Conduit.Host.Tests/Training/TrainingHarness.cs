using Conduit.Host.Jobs;
using Conduit.Host.Tests.Support;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Tests.Training;

/// <summary>Runs a job in-process through the real host, plugins (TorchSharp, CSV) and trainer, recording the bus.</summary>
internal static class TrainingHarness
{
    public sealed record Result(RunOutcome Outcome, IReadOnlyList<(long Step, double Loss)> Losses, IReadOnlyList<EpochEnded> Epochs, float[] Predictions);

    /// <summary>A small digits job writing under <paramref name="root"/>.</summary>
    public static string WriteDigitsJob(string root, string extra = "")
    {
        string data = Path.Combine(RepoPaths.Root, "samples", "data", "digits.csv").Replace("\\", "/", StringComparison.Ordinal);
        string path = Path.Combine(root, "digits.job.json");
        File.WriteAllText(path, $$"""
            {
              "name": "digits-test",
              "data": { "source": "csv", "path": "{{data}}", "label": "label", "batch_size": 32, "normalize": "standardize",
                        "split": { "validation": 0.1, "test": 0.2, "seed": 7 } },
              "model": { "type": "mlp", "hidden": [32], "dropout": 0.2 },
              "optimizer": { "type": "adam", "lr": 0.003 },
              "trainer": { "max_epochs": 3, "seed": 7, "deterministic": true, "num_threads": 1, "default_root_dir": "runs" {{extra}} }
            }
            """);
        return path;
    }

    /// <summary>The real host with the built plugins (the console's output left out) for <paramref name="job"/>.</summary>
    public static ConduitHost StartHost(JobDefinition job)
    {
        var options = new ConduitHostOptions { Configuration = job.Configuration };
        options.Plugins.Roots.Add(RepoPaths.Plugins);
        options.Plugins.Disabled.Add("console");
        return ConduitHost.Start(options);
    }

    public static async Task<Result> RunAsync(string jobPath, string[] overrides, string? resume = null)
    {
        JobDefinition job = JobLoader.Load(jobPath, overrides);
        await using ConduitHost host = StartHost(job);
        var losses = new List<(long, double)>();
        var epochs = new List<EpochEnded>();
        using var a = host.Services.GetRequiredService<ISubscriber<BatchEnded>>().Subscribe(b => losses.Add((b.GlobalStep, b.Loss)));
        using var b = host.Services.GetRequiredService<ISubscriber<EpochEnded>>().Subscribe(e => epochs.Add(e));
        var runner = new JobRunner(host);
        using PreparedRun prepared = runner.Prepare(job, resume);
        RunOutcome outcome = await runner.RunAsync(prepared);
        Conduit.Host.Data.InMemoryDataset test = await Conduit.Host.Data.InMemoryDataset.LoadAsync(prepared.Test!);
        float[] predictions = prepared.Session.Predict(new Conduit.Data.TensorBuffer<float>(test.Features.ToArray(), test.Schema.FeatureShape.Prepend(test.Length))).Memory.ToArray();
        return new Result(outcome, losses, epochs, predictions);
    }
}
