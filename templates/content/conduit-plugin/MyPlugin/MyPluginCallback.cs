using Conduit.Messages;
using Conduit.Training;

namespace MyPlugin;

/// <summary>
/// Stops a run after <c>plugins.PLUGIN_ID_VALUE.stop_after_epochs</c> epochs (default 3) through the trainer, as the
/// built-in early stopping does. One instance per run; callbacks run on the training thread: keep them quick.
/// </summary>
public sealed class MyPluginCallback(RunContext run, ITrainerContext trainer) : ITrainerCallback
{
    // Declared once, with its default and range, from the job's plugins.PLUGIN_ID_VALUE section.
    private readonly int _stopAfterEpochs = run.Settings.Section("plugins").Section("PLUGIN_ID_VALUE").Int("stop_after_epochs", 3, 1);

    /// <inheritdoc/>
    public string Name => "PLUGIN_ID_VALUE";

    /// <inheritdoc/>
    public void OnEpochEnded(EpochEnded message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Epoch + 1 >= _stopAfterEpochs)
        {
            trainer.RequestStop($"PLUGIN_ID_VALUE stopped the run after {_stopAfterEpochs} epochs", Name);
        }
    }
}
