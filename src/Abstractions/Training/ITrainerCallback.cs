using Conduit.Messages;

namespace Conduit.Training;

/// <summary>
/// A trainer callback (Lightning's Callback): reacts to what happens in a run. Every hook does nothing unless
/// overridden. Hooks run on the training thread, in order, before the model's own hooks.
/// </summary>
/// <remarks>
/// To stop a run, call <see cref="ITrainerContext.RequestStop"/>. State returned by <see cref="SaveState"/> is stored in
/// checkpoints and handed back to <see cref="LoadState"/> on resume, so a callback continues exactly.
/// An exception thrown by a hook (but <see cref="OnRunEnded"/>) ends the run as failed, naming the callback and the hook.
/// </remarks>
public interface ITrainerCallback
{
    /// <summary>The callback's name; the key of its state in a checkpoint.</summary>
    string Name { get; }

    /// <summary>A run has started.</summary>
    void OnRunStarted(RunStarted message) { }

    /// <summary>A training epoch has started.</summary>
    void OnEpochStarted(EpochStarted message) { }

    /// <summary>A training batch has been processed.</summary>
    void OnBatchEnded(in BatchEnded message) { }

    /// <summary>A validation pass has ended.</summary>
    void OnValidationEnded(ValidationEnded message) { }

    /// <summary>A training epoch has ended.</summary>
    void OnEpochEnded(EpochEnded message) { }

    /// <summary>A checkpoint has been written.</summary>
    void OnCheckpointSaved(CheckpointSaved message) { }

    /// <summary>The run has ended.</summary>
    void OnRunEnded(RunEnded message) { }

    /// <summary>The callback's state as JSON, for checkpoints; <see langword="null"/> when it has none.</summary>
    string? SaveState() => null;

    /// <summary>Restores the state <see cref="SaveState"/> returned.</summary>
    void LoadState(string state) { }
}
