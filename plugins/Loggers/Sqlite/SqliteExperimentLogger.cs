using System.Diagnostics;
using Conduit.Messages;
using Conduit.Tracking;
using Conduit.Tracking.Store;
using Conduit.Training;

namespace Conduit.Loggers.Sqlite;

/// <summary>
/// Records runs in the experiment store (<c>loggers.sqlite.path</c>, default <c>&lt;default_root_dir&gt;/conduit.db</c>):
/// the run and its settings at start, metrics in batched transactions (at least every second), artifacts, and the
/// outcome at the end. A resumed run continues its own record.
/// </summary>
/// <remarks>Created per run (a scoped service): its state is its run's alone.</remarks>
public sealed class SqliteExperimentLogger(RunContext context) : IExperimentLogger
{
    private const int BatchRows = 10_000;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    // Read when the logger is created, with the job's other settings, so a misspelt key is refused before training.
    private readonly string _storePath = context.LoggerSettings("sqlite").String("path") is { } path
        ? Path.GetFullPath(Path.Combine(context.RootDirectory, path))
        : Path.Combine(context.RootDirectory, "conduit.db");

    private Run? _run;

    /// <inheritdoc/>
    public string Name => "sqlite";

    /// <inheritdoc/>
    public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        RunStore store = RunStore.Open(_storePath);
        store.Start(run.RunId, run.Name, run.StartedAt, run.Hyperparameters, GitCommit(run.RootDirectory), run.ResumedAtStep);
        store.Tag(run.RunId, "stage", run.Stage);
        _run?.Store.Dispose();
        _run = new Run(store);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (_run is { } run)
        {
            foreach (var (name, value) in metrics.Metrics)
            {
                run.Pending.Add((metrics.RunId, metrics.Step, metrics.Epoch, name, value));
            }
            if (run.Pending.Count >= BatchRows || Stopwatch.GetElapsedTime(run.Flushed) >= FlushEvery)
            {
                run.Flush();
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _run?.Flush(); // one committed transaction
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask LogCheckpointAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (_run is { } run)
        {
            run.Store.AddArtifact(checkpoint.RunId, "checkpoint", checkpoint.Path);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_run is { } state)
        {
            state.Flush();
            state.Store.End(run.RunId, run.Status.ToString().ToLowerInvariant(), DateTimeOffset.UtcNow);
            state.Store.Dispose();
            _run = null;
        }
        return ValueTask.CompletedTask;
    }

    // The commit checked out where the run writes, read from .git without running git.
    private static string? GitCommit(string? folder)
    {
        for (DirectoryInfo? dir = folder is null ? null : new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            string head = Path.Combine(dir.FullName, ".git", "HEAD");
            if (!File.Exists(head))
            {
                continue;
            }
            string text = File.ReadAllText(head).Trim();
            if (!text.StartsWith("ref: ", StringComparison.Ordinal))
            {
                return text;
            }
            string reference = Path.Combine(dir.FullName, ".git", text[5..]);
            if (File.Exists(reference))
            {
                return File.ReadAllText(reference).Trim();
            }
            string packed = Path.Combine(dir.FullName, ".git", "packed-refs");
            return File.Exists(packed)
                ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == text[5..])?[0]
                : null;
        }
        return null;
    }

    private sealed class Run(RunStore store)
    {
        public RunStore Store => store;

        public List<(string, long, int, string, double)> Pending { get; } = [];

        public long Flushed { get; private set; } = Stopwatch.GetTimestamp();

        public void Flush()
        {
            if (Pending.Count > 0)
            {
                store.AddMetrics(Pending);
                Pending.Clear();
            }
            Flushed = Stopwatch.GetTimestamp();
        }
    }
}
