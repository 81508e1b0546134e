using System.Diagnostics;
using Conduit.Messages;
using Conduit.Tracking;
using Conduit.Tracking.Store;
using Conduit.Training;
using Microsoft.Data.Sqlite;

namespace Conduit.Loggers.Sqlite;

/// <summary>
/// Records runs in the experiment store (<c>loggers.sqlite.path</c>, default <c>&lt;default_root_dir&gt;/conduit.db</c>):
/// the run and its settings at start, metrics in batched transactions (at least every second), artifacts, and the
/// outcome at the end. A resumed run continues its own record. A store locked by another connection past
/// <c>loggers.sqlite.busy_timeout</c> (seconds, default 30) delays writes, which are kept and retried, never dropped.
/// </summary>
/// <remarks>Created per run (a scoped service): its state is its run's alone.</remarks>
public sealed class SqliteExperimentLogger(RunContext context) : IExperimentLogger
{
    private const int BatchRows = 10_000;
    private const int EndAttempts = 10;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    // Read when the logger is created, with the job's other settings, so a misspelt key is refused before training.
    private readonly string _storePath = context.LoggerSettings("sqlite").String("path") is { } path
        ? Path.GetFullPath(Path.Combine(context.RootDirectory, path))
        : Path.Combine(context.RootDirectory, "conduit.db");

    private readonly int _busyTimeout = context.LoggerSettings("sqlite").Int("busy_timeout", 30, min: 1);

    private Run? _run;

    /// <inheritdoc/>
    public string Name => "sqlite";

    /// <inheritdoc/>
    public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        string? commit = GitCommit(run.RootDirectory);
        _run?.Dispose();
        _run = new Run(_storePath, _busyTimeout);
        _run.Writes.Add(s =>
        {
            s.Start(run.RunId, run.Name, run.StartedAt, run.Hyperparameters, commit, run.ResumedAtStep);
            s.Tag(run.RunId, "stage", run.Stage);
        });
        _run.Flush();
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
            run.Writes.Add(s => s.AddArtifact(checkpoint.RunId, "checkpoint", checkpoint.Path));
            run.Flush();
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_run is { } state)
        {
            _run = null;
            try
            {
                // The run's last chance to be recorded: a lock is waited out (each attempt waits the busy timeout).
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        state.Flush();
                        state.Store!.End(run.RunId, run.Status.ToString().ToLowerInvariant(), DateTimeOffset.UtcNow);
                        break;
                    }
                    catch (SqliteException e) when (StoreUnavailableException.IsBusy(e) && attempt < EndAttempts)
                    {
                    }
                }
            }
            finally
            {
                state.Dispose();
            }
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

    // The store opens at the first flush that finds it free (opening reads its schema, which a lock can refuse too).
    private sealed class Run(string path, int busyTimeout) : IDisposable
    {
        public RunStore? Store { get; private set; }

        /// <summary>Writes other than metrics (start, artifacts, end), in order, each removed once written.</summary>
        public List<Action<RunStore>> Writes { get; } = [];

        public List<(string, long, int, string, double)> Pending { get; } = [];

        public long Flushed { get; private set; } = Stopwatch.GetTimestamp();

        // What fails (a lock past the busy timeout) stays to be retried at the next flush, at most once a second.
        public void Flush()
        {
            try
            {
                RunStore store = Store ??= RunStore.Open(path, busyTimeout);
                while (Writes.Count > 0)
                {
                    Writes[0](store);
                    Writes.RemoveAt(0);
                }
                if (Pending.Count > 0)
                {
                    store.AddMetrics(Pending);
                    Pending.Clear();
                }
            }
            finally
            {
                Flushed = Stopwatch.GetTimestamp();
            }
        }

        public void Dispose() => Store?.Dispose();
    }
}
