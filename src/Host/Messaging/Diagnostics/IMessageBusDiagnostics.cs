using Conduit.Messaging;

namespace Conduit.Host.Messaging;

/// <summary>Reads the bus's counters: who subscribes to what, and how delivery went.</summary>
public interface IMessageBusDiagnostics
{
    /// <summary>A consistent-enough snapshot of every topic (counters are read without stopping publishers).</summary>
    IReadOnlyList<TopicSnapshot> GetSnapshot();
}
