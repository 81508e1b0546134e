namespace Conduit.Messaging;

/// <summary>How an asynchronous subscription buffers messages.</summary>
public sealed record AsyncSubscriptionOptions
{
    /// <summary>The default buffer capacity, in messages.</summary>
    public const int DefaultCapacity = 4096;

    /// <summary>
    /// How many messages may wait for the handler before publishers wait for room; at least 1.
    /// A larger buffer absorbs longer bursts (a logger flushing to disk); memory grows with it.
    /// </summary>
    public int Capacity { get; init; } = DefaultCapacity;

    /// <summary>A name for diagnostics; the handler's type name when <see langword="null"/>.</summary>
    public string? Name { get; init; }
}
