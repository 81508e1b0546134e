using System.Collections.Concurrent;
using System.Diagnostics;
using Conduit.Messages;
using Conduit.Tracking;

namespace Conduit.Loggers.Sqlite;

/// <summary>
/// Records runs in the experiment store (<c>loggers.sqlite.path</c>, default <c>&lt;default_root_dir&gt;/conduit.db</c>):
/// the run and its settings at start, metrics in batched transactions (at least every second), artifacts, and the
/// outcome at the end. A resumed run continues its own record.
/// </summary>
public sealed class SqliteExperimentLogger : IExperimentLogger
{
    private const int BatchRows = 10_000;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Run> _runs = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Name => "sqlite";

    /// <summary>The store a run writes to.</summary>
    public static string StorePath(RunStarted run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string root = run.RootDirectory ?? Directory.GetCurrentDirectory();
        return run.Hyperparameters.TryGetValue("loggers.sqlite.path", out string? path) && path.Length > 0
            ? Path.GetFullPath(Path.Combine(root, path))
            : Path.Combine(root, "conduit.db");
    }

    /// <inheritdoc/>
    public ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        RunStore store = RunStore.Open(StorePath(run));
        store.Start(run.RunId, run.Name, run.StartedAt, run.Hyperparameters, GitCommit(run.RootDirectory), run.ResumedAtStep);
        store.Tag(run.RunId, "stage", run.Stage);
        _runs[run.RunId] = new Run(store);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (_runs.TryGetValue(metrics.RunId, out Run? run))
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
    public ValueTask LogArtifactAsync(ArtifactSaved artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        if (_runs.TryGetValue(artifact.RunId, out Run? run))
        {
            run.Store.AddArtifact(artifact.RunId, artifact.Kind, artifact.Path);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (_runs.TryRemove(run.RunId, out Run? state))
        {
            state.Flush();
            state.Store.End(run.RunId, run.Status.ToString().ToLowerInvariant(), DateTimeOffset.UtcNow);
            state.Store.Dispose();
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
