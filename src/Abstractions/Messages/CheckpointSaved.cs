namespace Conduit.Messages;

/// <summary>A checkpoint file has been written completely.</summary>
public sealed record CheckpointSaved
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The checkpoint's absolute path.</summary>
    public required string Path { get; init; }

    /// <summary>The epoch its weights were trained in (counted from 0).</summary>
    public required int Epoch { get; init; }

    /// <summary>The global step stored in it.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>The monitored metric's name and value, when the checkpoint was chosen by one.</summary>
    public KeyValuePair<string, double>? Monitor { get; init; }
}

