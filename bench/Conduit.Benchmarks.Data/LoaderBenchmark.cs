using Conduit.Data;
using Conduit.Host;
using Conduit.Host.Data;
using Conduit.Host.Jobs;
using Conduit.Host.Plugins;
using Conduit.Host.Training;
using static Conduit.Benchmarks.Data.Rounds;

namespace Conduit.Benchmarks.Data;

/// <summary>
/// The loader against the model: how fast the prepared training data yields batches on its own, how fast the
/// training step consumes them, and the share of the training loop spent waiting for data (target under 5%).
/// </summary>
internal static class LoaderBenchmark
{
    private static readonly (string Name, string Job, string[] Overrides)[] Jobs =
    [
        ("digits (in memory)", "samples/digits.job.json", ["trainer.max_epochs=10", "export=none"]),
        ("digits (streamed from CSV)", "samples/digits.job.json", ["trainer.max_epochs=10", "data.streaming=true", "export=none"]),
        ("synthetic (streamed, generated)", "samples/synthetic.job.json", []),
    ];

    public static async Task RunAsync(BenchOptions options)
    {
        string scratch = Directory.CreateTempSubdirectory("conduit-bench-loader").FullName;
        Console.WriteLine("Loader throughput against the training step's consumption (fit on the job's training split):");
        Console.WriteLine();
        Console.WriteLine("| Job                              | batches | loader batches/s | step batches/s | loader / step | waiting for data |");
        Console.WriteLine("|----------------------------------|--------:|-----------------:|---------------:|--------------:|-----------------:|");
        try
        {
            foreach (var (name, path, overrides) in Jobs)
            {
                JobDefinition job = JobLoader.Load(Path.Combine(BenchOptions.RepoRoot, path), [.. overrides, $"trainer.default_root_dir={scratch}", "trainer.enable_checkpointing=false"]);
                await using ConduitHost conduit = ConduitHost.Start(HostOptions(job));
                var runner = new JobRunner(conduit);
                PreparedRun prepared;
                try
                {
                    prepared = runner.Prepare(job);
                }
                catch (JobValidationException e)
                {
                    Console.WriteLine($"| {name,-32} | cannot run: {e.Message.ReplaceLineEndings(" ")}");
                    continue;
                }
                using PreparedRun owned = prepared;
                RunOutcome outcome = await runner.RunAsync(prepared);
                TimeSpan stepping = outcome.TrainingLoopTime - outcome.DataWait;
                long trained = outcome.Position.GlobalStep;
                double stepRate = trained / stepping.TotalSeconds;

                double[] loader = await MedianSecondsAsync(Math.Max(1, options.Rounds / 2), () => OneEpochAsync(prepared));
                double loaderRate = BatchesPerEpoch(prepared) / loader[0];
                Console.WriteLine($"| {name,-32} | {trained,7} | {F(loaderRate, "N0"),16} | {F(stepRate, "N0"),14} | {F(loaderRate / stepRate),12}x | {F(outcome.DataWaitFraction * 100, "F1"),15}% |");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        Console.WriteLine("waiting for data: time the training loop spent waiting for its next batch / the loop's time (measured by the trainer).");
        Console.WriteLine();
    }

    /// <summary>The host the CLI would start for <paramref name="job"/>, without the console logger.</summary>
    public static ConduitHostOptions HostOptions(JobDefinition job)
    {
        var options = new ConduitHostOptions { Configuration = job.Configuration };
        foreach (string root in PluginDiscovery.DefaultRoots(AppContext.BaseDirectory))
        {
            options.Plugins.Roots.Add(root);
        }
        options.Plugins.Disabled.Add("console");
        return options;
    }

    private static long BatchesPerEpoch(PreparedRun prepared) =>
        ((prepared.Train.Count ?? 0) + prepared.Run.BatchSize - 1) / prepared.Run.BatchSize;

    private static async Task OneEpochAsync(PreparedRun prepared)
    {
        var options = new BatchOptions(prepared.Run.BatchSize, prepared.Run.Shuffle, prepared.Run.Job.Trainer.Seed, 0, prepared.Run.DropLast);
        await foreach (DataBatch _ in prepared.Train.ReadBatchesAsync(options))
        {
        }
    }
}
