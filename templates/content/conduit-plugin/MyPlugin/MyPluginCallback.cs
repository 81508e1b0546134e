using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;

namespace MyPlugin;

/// <summary>The callback's settings, from the job's <c>plugins.PLUGIN_ID_VALUE</c> section.</summary>
/// <param name="StopAfterEpochs">Epochs after which the callback stops the run.</param>
public sealed record MyPluginSettings(int StopAfterEpochs);

/// <summary>
/// Stops a run after <c>plugins.PLUGIN_ID_VALUE.stop_after_epochs</c> epochs by publishing <see cref="StopRun"/> on
/// the bus, as the built-in early stopping does. Callbacks run on the training thread: keep them quick.
/// </summary>
public sealed class MyPluginCallback(MyPluginSettings settings, IPublisher<StopRun> stop) : ITrainerCallback
{
    /// <inheritdoc/>
    public string Name => "PLUGIN_ID_VALUE";

    /// <inheritdoc/>
    public void OnEpochEnded(EpochEnded message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Epoch + 1 >= settings.StopAfterEpochs)
        {
            stop.Publish(new StopRun(message.RunId, $"PLUGIN_ID_VALUE stopped the run after {settings.StopAfterEpochs} epochs", Name));
        }
    }
}
