using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training;

/// <summary>
/// Subscribes an <see cref="ITrainerCallback"/> to the bus: callbacks are bus subscribers like any other, run
/// synchronously on the training thread so that they act before the next batch.
/// </summary>
internal sealed class CallbackBridge(ITrainerCallback callback, string runId, CallbackFaults faults) :
    IMessageHandler<RunStarted>, IMessageHandler<EpochStarted>, IMessageHandler<BatchEnded>, IMessageHandler<ValidationEnded>,
    IMessageHandler<EpochEnded>, IMessageHandler<CheckpointSaved>, IMessageHandler<RunEnded>
{
    /// <summary>Subscribes <paramref name="callback"/> for the messages of <paramref name="runId"/>; dispose to unsubscribe.</summary>
    /// <remarks>What a hook throws goes to <paramref name="faults"/>, which fails the run, not to the bus, which would skip it.</remarks>
    public static IDisposable Subscribe(IServiceProvider services, ITrainerCallback callback, string runId, CallbackFaults faults)
    {
        var bridge = new CallbackBridge(callback, runId, faults);
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
            try
            {
                callback.OnRunStarted(message);
            }
            catch (Exception e) when (faults.Record(callback, nameof(ITrainerCallback.OnRunStarted), e))
            {
            }
        }
    }

    public void Handle(EpochStarted message)
    {
        if (message.RunId == runId)
        {
            try
            {
                callback.OnEpochStarted(message);
            }
            catch (Exception e) when (faults.Record(callback, nameof(ITrainerCallback.OnEpochStarted), e))
            {
            }
        }
    }

    public void Handle(BatchEnded message)
    {
        if (message.RunId == runId)
        {
            try
            {
                callback.OnBatchEnded(in message);
            }
            catch (Exception e) when (faults.Record(callback, nameof(ITrainerCallback.OnBatchEnded), e))
            {
            }
        }
    }

    public void Handle(ValidationEnded message)
    {
        if (message.RunId == runId)
        {
            try
            {
                callback.OnValidationEnded(message);
            }
            catch (Exception e) when (faults.Record(callback, nameof(ITrainerCallback.OnValidationEnded), e))
            {
            }
        }
    }

    public void Handle(EpochEnded message)
    {
        if (message.RunId == runId)
        {
            try
            {
                callback.OnEpochEnded(message);
            }
            catch (Exception e) when (faults.Record(callback, nameof(ITrainerCallback.OnEpochEnded), e))
            {
            }
        }
    }

    public void Handle(CheckpointSaved message)
    {
        if (message.RunId == runId)
        {
            try
            {
                callback.OnCheckpointSaved(message);
            }
            catch (Exception e) when (faults.Record(callback, nameof(ITrainerCallback.OnCheckpointSaved), e))
            {
            }
        }
    }

    public void Handle(RunEnded message)
    {
        if (message.RunId == runId)
        {
            // The run has ended: a fault here cannot change it, so the bus reports it like any subscriber's.
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
