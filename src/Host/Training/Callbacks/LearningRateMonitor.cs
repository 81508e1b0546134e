using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training.Callbacks;

/// <summary>Lightning's LearningRateMonitor: logs each parameter group's learning rate (<c>lr-Adam</c>) every epoch or step.</summary>
public sealed class LearningRateMonitor(bool everyStep) : ITrainerCallback, ITrainerAware
{
    private Trainer? _trainer;
    private IPublisher<MetricsLogged>? _metrics;

    /// <inheritdoc/>
    public string Name => "lr_monitor";

    void ITrainerAware.Attach(Trainer trainer, IServiceProvider services)
    {
        _trainer = trainer;
        _metrics = services.GetRequiredService<IPublisher<MetricsLogged>>();
    }

    /// <inheritdoc/>
    public void OnEpochStarted(EpochStarted message)
    {
        if (!everyStep && _trainer is not null)
        {
            Log(message.RunId, _trainer.Position.GlobalStep, message.Epoch);
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

    private void Log(string runId, long step, int epoch)
    {
        if (_trainer is null || _metrics is null)
        {
            return;
        }
        _metrics.Publish(new MetricsLogged(runId, step, epoch, new Dictionary<string, double>(_trainer.Session.LearningRates, StringComparer.Ordinal)));
    }
}
