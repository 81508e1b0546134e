using Conduit.Messaging;

namespace Conduit.Host.Tests.Messaging;

internal readonly record struct Tick(int Value);

/// <summary>Records what it receives, for tests that read it after publishing has finished.</summary>
internal sealed class RecordingHandler : IMessageHandler<Tick>
{
    public List<int> Received { get; } = [];

    public void Handle(Tick message) => Received.Add(message.Value);
}

/// <summary>Records asynchronously; the list is read only after a drain.</summary>
internal sealed class AsyncRecordingHandler : IAsyncMessageHandler<Tick>
{
    public List<int> Received { get; } = [];

    public int Capacity { get; init; } = 4096;

    public ValueTask HandleAsync(Tick message, CancellationToken cancellationToken)
    {
        Received.Add(message.Value);
        return default;
    }
}

internal sealed class ThrowingHandler : IMessageHandler<Tick>
{
    public void Handle(Tick message) => throw new InvalidOperationException($"broken on {message.Value}");
}
