using System.Diagnostics;
using System.Text.Json;
using Conduit.Host.Checkpoints;
using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Tracking;

namespace Conduit.Host.Tests.Faults;

/// <summary>
/// A small job on the fixture.faults data source (256 rows streamed, 8 batches an epoch, 3 epochs; pass 1 counts the
/// rows, pass 2 + e is epoch e), run through <c>conduit run</c> in-process with the built plugins and fixture.faults,
/// whose settings choose where a fault is injected.
/// </summary>
internal sealed class FaultJob(string root)
{
    public string Root { get; } = root;

    public string Path { get; } = Write(root);

    public string Checkpoints => System.IO.Path.Combine(Root, "runs", "faults", "checkpoints");

    public Task<CliRunner.Result> RunAsync(params string[] args) =>
        CliRunner.RunAsync(["run", Path, "--plugins", RepoPaths.Plugins, "--plugins", RepoPaths.TestPlugin("fixture.faults"), "--json", .. args]);

    /// <summary>The same as a process of its own (<c>dotnet exec conduit.dll</c>): its log lines on standard error included.</summary>
    public async Task<CliRunner.Result> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", System.IO.Path.Combine(AppContext.BaseDirectory, "conduit.dll"), "run", Path, "--plugins", RepoPaths.Plugins,
            "--plugins", RepoPaths.TestPlugin("fixture.faults"), "--json", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new CliRunner.Result(process.ExitCode, await output, await error);
    }

    /// <summary>Every checkpoint in the folder, each read back whole (the SHA-256 checked), by file name.</summary>
    public Dictionary<string, CheckpointMetadata> ReadCheckpoints() =>
        Directory.Exists(Checkpoints)
            ? Directory.GetFiles(Checkpoints, "*.ckpt").ToDictionary(p => System.IO.Path.GetFileName(p), p => CheckpointFile.Read(p).Metadata)
            : [];

    /// <summary>The csv logger's records (a resumed run writes on in its version folder), by (step, metric).</summary>
    public SortedDictionary<(long, string), double> Csv() =>
        new(ExperimentLoggerTests.ReadMetricsCsv(System.IO.Path.Combine(Root, "runs", "faults", "version_0", "metrics.csv")));

    /// <summary>The experiment store's records of the job's (only) run, by (step, metric).</summary>
    public SortedDictionary<(long, string), double> Stored()
    {
        using var store = Conduit.Tracking.Store.RunStore.OpenExisting(System.IO.Path.Combine(Root, "runs", "conduit.db"));
        return new(ExperimentLoggerTests.ReadStore(store, Assert.Single(store.Runs()).Id));
    }

    public static string Status(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>The one line a failed command writes: <c>conduit: error: ...</c>, no stack trace.</summary>
    public static string ErrorLine(CliRunner.Result result)
    {
        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("conduit: error: ", StringComparison.Ordinal)).ToArray();
        string line = Assert.Single(lines);
        Assert.DoesNotContain(" at ", result.Error.Split('\n').Where(l => l.StartsWith("   at ", StringComparison.Ordinal)).FirstOrDefault() ?? "", StringComparison.Ordinal);
        return line;
    }

    private static string Write(string root)
    {
        string path = System.IO.Path.Combine(root, "faults.job.json");
        File.WriteAllText(path, """
            {
              "name": "faults",
              "data": { "source": "faults", "rows": 256, "batch_size": 32, "streaming": true, "shuffle": true,
                        "split": { "validation": 0, "test": 0 } },
              "model": { "type": "mlp", "hidden": [8] },
              "optimizer": { "type": "adam", "lr": 0.01 },
              "trainer": { "max_epochs": 3, "seed": 3, "deterministic": true, "num_threads": 1, "default_root_dir": "runs", "log_every_n_steps": 1,
                           "enable_model_summary": false },
              "callbacks": { "model_checkpoint": { "save_top_k": -1 } },
              "loggers": ["csv", "sqlite"]
            }
            """);
        return path;
    }
}
