using Conduit.Messages;

namespace Conduit.Tracking;

/// <summary>
/// An experiment tracker (Lightning's Logger): records a run's hyperparameters, metrics, checkpoints and outcome.
/// </summary>
/// <remarks>
/// The host subscribes every registered logger to the bus with a buffer of its own, so a logger is called on the
/// thread pool, one message at a time and in order; it never slows a training step unless its buffer is full.
/// An exception is logged and counted, and the next message is delivered as usual.
/// </remarks>
public interface IExperimentLogger
{
    /// <summary>The logger's name (<c>csv</c>, <c>tensorboard</c>, ...).</summary>
    string Name { get; }

    /// <summary>A run has started: record its hyperparameters.</summary>
    ValueTask RunStartedAsync(RunStarted run, CancellationToken cancellationToken);

    /// <summary>Record metric values at a step.</summary>
    ValueTask LogMetricsAsync(MetricsLogged metrics, CancellationToken cancellationToken);

    /// <summary>Record a checkpoint the run saved (its file, step and monitored value); by default, nothing.</summary>
    ValueTask LogCheckpointAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Persist everything received so far: the host calls this before a checkpoint becomes durable, so that a crash
    /// at any moment never leaves a checkpoint that covers metrics a logger lost. Return once they are on disk.
    /// </summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>The run has ended: record the outcome and flush.</summary>
    ValueTask RunEndedAsync(RunEnded run, CancellationToken cancellationToken);
}
