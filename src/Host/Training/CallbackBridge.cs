using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training;

/// <summary>
/// Subscribes an <see cref="ITrainerCallback"/> to the bus: callbacks are bus subscribers like any other, run
/// synchronously on the training thread so that they act before the next batch.
/// </summary>
internal sealed class CallbackBridge(ITrainerCallback callback, string runId) :
    IMessageHandler<RunStarted>, IMessageHandler<EpochStarted>, IMessageHandler<BatchEnded>, IMessageHandler<ValidationEnded>,
    IMessageHandler<EpochEnded>, IMessageHandler<CheckpointSaved>, IMessageHandler<RunEnded>
{
    /// <summary>Subscribes <paramref name="callback"/> for the messages of <paramref name="runId"/>; dispose to unsubscribe.</summary>
    public static IDisposable Subscribe(IServiceProvider services, ITrainerCallback callback, string runId)
    {
        var bridge = new CallbackBridge(callback, runId);
        IDisposable[] subscriptions =
        [
            services.GetRequiredService<ISubscriber<RunStarted>>().Subscribe(bridge),
            services.GetRequiredService<ISubscriber<EpochStarted>>().Subscribe(bridge),
            services.GetRequiredService<ISubscriber<BatchEnded>>().Subscribe(bridge),
            services.GetRequiredService<ISubscriber<ValidationEnded>>().Subscribe(bridge),
            services.GetRequiredService<ISubscriber<EpochEnded>>().Subscribe(bridge),
            services.GetRequiredService<ISubscriber<CheckpointSaved>>().Subscribe(bridge),
            services.GetRequiredService<ISubscriber<RunEnded>>().Subscribe(bridge),
        ];
        return new CompositeDisposable(subscriptions);
    }

    public void Handle(RunStarted message)
    {
        if (message.RunId == runId)
        {
            callback.OnRunStarted(message);
        }
    }

    public void Handle(EpochStarted message)
    {
        if (message.RunId == runId)
        {
            callback.OnEpochStarted(message);
        }
    }

    public void Handle(BatchEnded message)
    {
        if (message.RunId == runId)
        {
            callback.OnBatchEnded(in message);
        }
    }

    public void Handle(ValidationEnded message)
    {
        if (message.RunId == runId)
        {
            callback.OnValidationEnded(message);
        }
    }

    public void Handle(EpochEnded message)
    {
        if (message.RunId == runId)
        {
            callback.OnEpochEnded(message);
        }
    }

    public void Handle(CheckpointSaved message)
    {
        if (message.RunId == runId)
        {
            callback.OnCheckpointSaved(message);
        }
    }

    public void Handle(RunEnded message)
    {
        if (message.RunId == runId)
        {
            callback.OnRunEnded(message);
        }
    }

    public override string ToString() => callback.GetType().FullName ?? callback.Name;

    private sealed class CompositeDisposable(IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (IDisposable part in parts)
            {
                part.Dispose();
            }
        }
    }
}
