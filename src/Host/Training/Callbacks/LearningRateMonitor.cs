using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;

namespace Conduit.Host.Training.Callbacks;

/// <summary>Lightning's LearningRateMonitor: logs each parameter group's learning rate (<c>lr-Adam</c>) every epoch or step.</summary>
/// <remarks>It uses public contracts only: the trainer context and the bus.</remarks>
public sealed class LearningRateMonitor(ITrainerContext trainer, IPublisher<MetricsLogged> metrics, bool everyStep) : ITrainerCallback
{
    /// <inheritdoc/>
    public string Name => "lr_monitor";

    /// <inheritdoc/>
    public void OnEpochStarted(EpochStarted message)
    {
        if (!everyStep)
        {
            Log(message.RunId, trainer.GlobalStep, message.Epoch);
        }
    }

    /// <inheritdoc/>
    public void OnBatchEnded(in BatchEnded message)
    {
        if (everyStep)
        {
            Log(message.RunId, message.GlobalStep, message.Epoch);
        }
    }

    private void Log(string runId, long step, int epoch) =>
        metrics.Publish(new MetricsLogged { RunId = runId, Step = step, Epoch = epoch, Metrics = new Dictionary<string, double>(trainer.LearningRates, StringComparer.Ordinal) });
}
