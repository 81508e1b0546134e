using Conduit.Frameworks;
using Conduit.Host.Checkpoints;
using Conduit.Messages;

namespace Conduit.Host.Training;

/// <summary>
/// Writes one run's checkpoints, remembering the position each was written at (so that the end of fit does not
/// write last.ckpt again where ModelCheckpoint just did), and loads the best one back for the test.
/// </summary>
internal sealed class TrainerCheckpoints(TrainerRun run, ITrainingSession session, TrainerEvents events)
{
    private readonly Dictionary<string, TrainerPosition> _written = new(StringComparer.Ordinal);

    /// <summary>Where last.ckpt goes; null when the run has no checkpoint folder.</summary>
    public string? LastPath => run.CheckpointDirectory is null ? null : Path.GetFullPath(Path.Combine(run.CheckpointDirectory, "last" + CheckpointFile.Extension));

    /// <summary>The checkpoint written last, if any: where a failed run can be resumed from.</summary>
    public string? LastWritten { get; private set; }

    /// <summary>Whether <paramref name="path"/> was written at exactly <paramref name="position"/>.</summary>
    public bool Holds(string path, TrainerPosition position) => _written.TryGetValue(path, out TrainerPosition at) && at == position;

    /// <summary>Writes the session's state and the loop's state (<paramref name="loop"/>) to <paramref name="path"/>, and publishes it.</summary>
    public CheckpointSaved Write(string path, LoopState loop, KeyValuePair<string, double>? monitor, RunStatus status)
    {
        TrainerPosition position = loop.Position;
        var metadata = new CheckpointMetadata
        {
            Framework = run.Framework,
            RunId = run.RunId,
            JobName = run.Job.Name,
            Epoch = position.Epoch,
            BatchInEpoch = position.BatchInEpoch,
            GlobalStep = position.GlobalStep,
            Accumulator = loop.Accumulator,
            Metrics = new Dictionary<string, double>(loop.Metrics, StringComparer.Ordinal),
            Callbacks = CallbackStates.Save(run.Callbacks),
            Job = run.Job.Flatten(),
            FeatureShape = run.Schema.FeatureShape.Dimensions.ToArray(),
            ClassNames = run.Schema.ClassNames,
            Target = run.Schema.Target.ToString().ToLowerInvariant(),
            Normalizer = run.Normalizer,
            Status = status,
        };
        // Durable only after every logger has persisted the metrics it covers: a crash never leaves a gap behind it.
        CheckpointFile.Write(path, metadata, session.SaveState, run.CheckpointBarrier);
        string fullPath = Path.GetFullPath(path);
        _written[fullPath] = position;
        LastWritten = fullPath;
        // Users read "epoch=E" as the epoch the weights were trained in (Lightning's naming), not the one resume starts.
        int trainedEpoch = position.BatchInEpoch == 0 ? Math.Max(0, position.Epoch - 1) : position.Epoch;
        var saved = new CheckpointSaved { RunId = run.RunId, Path = fullPath, Epoch = trainedEpoch, GlobalStep = position.GlobalStep, Monitor = monitor };
        events.CheckpointSaved(saved);
        return saved;
    }

    /// <summary>Loads the best checkpoint when ModelCheckpoint tracks one by a monitored metric (Lightning tests that); else keeps the final weights.</summary>
    public void LoadBestForTest()
    {
        if (run.Callbacks.OfType<Callbacks.ModelCheckpoint>().FirstOrDefault() is { Monitor: not null, BestModelPath: { } best } && File.Exists(best))
        {
            var (_, state) = CheckpointFile.Read(best);
            using var stream = new MemoryStream(state, writable: false);
            session.LoadState(stream);
        }
    }
}
