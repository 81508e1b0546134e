namespace Conduit.Messages;

/// <summary>A validation pass has ended.</summary>
public sealed record ValidationEnded
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The epoch during or after which validation ran.</summary>
    public required int Epoch { get; init; }

    /// <summary>The global step at which validation ran.</summary>
    public required long GlobalStep { get; init; }

    /// <summary>The validation metrics (<c>val_loss</c>, <c>val_acc</c>, ...).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
}

