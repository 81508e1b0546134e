using Conduit.Messages;
using Conduit.Training;

namespace Fixture.Faults;

/// <summary>
/// Throws in the hook <c>plugins.faults.hook</c> names when its epoch (epoch hooks, validation) or global step
/// (batch_ended, checkpoint_saved) reaches <c>plugins.faults.at</c>; <c>none</c> (the default) never throws.
/// </summary>
public sealed class FaultyCallback : ITrainerCallback
{
    public static readonly string[] Hooks = ["none", "run_started", "epoch_started", "batch_ended", "validation_ended", "epoch_ended", "checkpoint_saved", "run_ended"];

    private readonly string _hook;
    private readonly long _at;

    public FaultyCallback(RunContext run)
    {
        var settings = run.Settings.Section("plugins").Section("faults");
        _hook = settings.Choice("hook", "none", Hooks);
        _at = settings.Int("at", 0, 0);
    }

    public string Name => "faults";

    public void OnRunStarted(RunStarted message) => Maybe("run_started", 0);

    public void OnEpochStarted(EpochStarted message) => Maybe("epoch_started", message.Epoch);

    public void OnBatchEnded(in BatchEnded message) => Maybe("batch_ended", message.GlobalStep);

    public void OnValidationEnded(ValidationEnded message) => Maybe("validation_ended", message.Epoch);

    public void OnEpochEnded(EpochEnded message) => Maybe("epoch_ended", message.Epoch);

    public void OnCheckpointSaved(CheckpointSaved message) => Maybe("checkpoint_saved", message.GlobalStep);

    public void OnRunEnded(RunEnded message) => Maybe("run_ended", 0);

    private void Maybe(string hook, long at)
    {
        if (hook == _hook && at >= _at)
        {
            throw new InvalidOperationException($"injected fault in {hook} at {at}");
        }
    }
}
