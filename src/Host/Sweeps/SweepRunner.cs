using System.Collections.Concurrent;
using Conduit.Host.Server;
using Conduit.Tracking.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Sweeps;

/// <summary>
/// The sweeps a server (or <c>conduit sweep</c>) runs, one <see cref="SweepController"/> each. A server continues the
/// sweeps its store says are running when it starts; on shutdown the controllers let go, leaving their trials to be
/// interrupted at a checkpoint and the sweeps running in the store, to continue with the next server.
/// </summary>
public sealed partial class SweepRunner(SweepStore store, ServerJobStore jobs, JobSubmission submission, JobWorkers workers, ServerOptions options,
    ILogger<SweepRunner> logger) : IHostedService
{
    private readonly ConcurrentDictionary<string, (SweepController Controller, Task<SweepRecord> Run)> _active = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Raised when a trial's record changes (started, reported, ended), with the sweep's id.</summary>
    public event Action<string, TrialRecord>? TrialChanged;

    /// <summary>Creates sweep <paramref name="sweep"/> in the store and starts it.</summary>
    public SweepRecord Start(SweepDefinition sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var record = new SweepRecord($"{sweep.Name}-{JobSubmission.NewId()}", sweep.Name, "running", DateTimeOffset.UtcNow, null, null, sweep.Document);
        store.Add(record);
        Launch(record.Id, sweep);
        return record;
    }

    /// <summary>Continues sweep <paramref name="id"/> (running in the store, not here yet); its run, or null when there is none to continue.</summary>
    public Task<SweepRecord>? Continue(string id)
    {
        if (_active.TryGetValue(id, out var active))
        {
            return active.Run;
        }
        return store.Find(id) is { Status: "running" } record ? Launch(id, SweepLoader.FromDocument(record.Document)) : null;
    }

    /// <summary>The run of sweep <paramref name="id"/> while this process runs it.</summary>
    public Task<SweepRecord>? Running(string id) => _active.TryGetValue(id, out var active) ? active.Run : null;

    /// <summary>Cancels sweep <paramref name="id"/>; false when it is not running here.</summary>
    public bool Cancel(string id)
    {
        if (!_active.TryGetValue(id, out var active))
        {
            return false;
        }
        active.Controller.Cancel();
        return true;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.ContinueSweeps)
        {
            foreach (SweepRecord sweep in store.All().Where(s => s.Status == "running"))
            {
                try
                {
                    Continue(sweep.Id);
                    Continued(logger, sweep.Id);
                }
                catch (Jobs.JobValidationException e)
                {
                    store.End(sweep.Id, "failed", e.Message);
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_active.Values.Select(a => a.Run)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<SweepRecord> Launch(string id, SweepDefinition sweep)
    {
        var controller = new SweepController(id, sweep, store, jobs, submission, workers, trial =>
        {
            if (trial.Ended && trial.RunId is { } runId)
            {
                Tag(runId, id, trial);
            }
            TrialChanged?.Invoke(id, trial);
        });
        // It starts once it is listed, so that its end always finds itself to remove.
        var listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<SweepRecord> run = Task.Run(async () =>
        {
            await listed.Task.ConfigureAwait(false);
            try
            {
                return await controller.RunAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(logger, e, id);
                store.End(id, "failed", e.Message);
                return store.Find(id)!;
            }
            finally
            {
                _active.TryRemove(id, out _);
            }
        });
        _active[id] = (controller, run);
        listed.SetResult();
        return run;
    }

    // A trial's run in the experiment store says which sweep and trial it is (its parameters are its params already).
    // The run's row is written by its worker's sqlite logger, from that logger's own queue: it can come a moment after
    // the trial's events (a trial pruned at its first rung, on a loaded machine), and a tag before it breaks the
    // store's foreign key. The controller waits for it here, so a sweep never ends with a trial's run untagged.
    private void Tag(string runId, string sweepId, TrialRecord trial)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var runs = RunStore.Open(options.StorePath);
                runs.Tag(runId, "sweep", sweepId);
                runs.Tag(runId, "sweep.trial", trial.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                runs.Tag(runId, "sweep.status", trial.Status);
                return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == ConstraintFailed && attempt < TagAttempts)
            {
                Thread.Sleep(TagRetryDelay);
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                TagFailed(logger, e, runId);
                return;
            }
        }
    }

    private const int ConstraintFailed = 19; // SQLITE_CONSTRAINT: here, the run is not recorded yet
    private const int TagAttempts = 60;
    private static readonly TimeSpan TagRetryDelay = TimeSpan.FromMilliseconds(250);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tag run {RunId} with its sweep")]
    private static partial void TagFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Id} was running when the last server stopped; it continues")]
    private static partial void Continued(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep {Id} failed")]
    private static partial void Failed(ILogger logger, Exception exception, string id);
}
