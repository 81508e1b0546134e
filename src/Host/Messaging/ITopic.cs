using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>What the bus does with every topic without knowing its message type.</summary>
internal interface ITopic
{
    TopicSnapshot GetSnapshot();

    /// <summary>Adds a task per asynchronous subscription that completes when what it has buffered now is handled.</summary>
    void AddDrainTasks(List<Task> tasks, CancellationToken cancellationToken);

    /// <summary>Closes every buffer and adds each consumer's completion.</summary>
    void Stop(List<Task> consumers);
}
