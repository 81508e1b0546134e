using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Conduit.Benchmarks.Process;

/// <summary>The processes compared: the hand-written program, and conduit run with its console output off and on.</summary>
internal enum Side
{
    HandWritten,
    ConduitJson,
    ConduitConsole,
}

/// <summary>A measured run and what the process itself reported (null where that side does not report it).</summary>
internal sealed record Run(Measurement Measured, double? StartToFirstStep, double? DataWaitFraction, double? TrainAccuracy);

/// <summary>Starts each side as a user would: <c>dotnet exec</c> of the built program, from the repository root.</summary>
internal sealed class Contenders(BenchOptions options)
{
    /// <summary>The host as <c>./conduit</c> builds it (Release).</summary>
    public static string HostDll { get; } = Path.Combine(RepositoryRoot.Path, "src", "Host", "bin", "Release", "net10.0", "conduit.dll");

    /// <summary>The baseline program, built by this project's build (see the csproj).</summary>
    public static string HandWrittenDll { get; } = Path.Combine(RepositoryRoot.Path,
        typeof(Contenders).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HandWrittenTorch").Value!);

    /// <summary>The job conduit runs; its data paths name <see cref="SyntheticIdx.Folder"/>.</summary>
    public static string Job { get; } = Path.Combine(RepositoryRoot.Path, "bench", "Conduit.Benchmarks.Process", "process.job.json");

    public Task<Run> RunAsync(Side side, int epochs) => side == Side.HandWritten ? HandWrittenAsync(epochs) : ConduitAsync(epochs, json: side == Side.ConduitJson);

    private async Task<Run> HandWrittenAsync(int epochs)
    {
        Measurement measured = await MeasuredProcess.RunAsync("dotnet",
        [
            "exec", HandWrittenDll, "--features", SyntheticIdx.FeaturesPath, "--labels", SyntheticIdx.LabelsPath,
            "--epochs", Text(epochs), "--threads", Text(options.Threads),
        ]).ConfigureAwait(false);
        using JsonDocument report = JsonDocument.Parse(measured.Output);
        JsonElement root = report.RootElement;
        return new Run(measured, root.GetProperty("startToFirstStepSeconds").GetDouble(), null, root.GetProperty("trainAccuracy").GetDouble());
    }

    private async Task<Run> ConduitAsync(int epochs, bool json)
    {
        string[] arguments =
        [
            "exec", HostDll, "run", Job, "--plugins", Path.Combine(RepositoryRoot.Path, "artifacts", "plugins"),
            "--set", $"trainer.max_epochs={Text(epochs)}", "--set", $"trainer.num_threads={Text(options.Threads)}",
        ];
        Measurement measured = await MeasuredProcess.RunAsync("dotnet", json ? [.. arguments, "--json"] : arguments).ConfigureAwait(false);
        if (!json)
        {
            // The console's text went to a pipe; its cost is in the time, its content is not needed.
            return new Run(measured, null, null, null);
        }
        using JsonDocument report = JsonDocument.Parse(measured.Output);
        JsonElement root = report.RootElement;
        double? accuracy = root.GetProperty("metrics").TryGetProperty("train_acc_epoch", out JsonElement acc) ? acc.GetDouble() : null;
        return new Run(measured, null, root.GetProperty("dataWaitFraction").GetDouble(), accuracy);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
