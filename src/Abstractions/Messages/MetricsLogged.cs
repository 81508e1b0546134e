namespace Conduit.Messages;

/// <summary>Metric values logged at one step; what experiment loggers record.</summary>
public sealed record MetricsLogged
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The global step the values belong to: one step axis for every logger.</summary>
    public required long Step { get; init; }

    /// <summary>The epoch the values belong to.</summary>
    public required int Epoch { get; init; }

    /// <summary>Metric name to value, for example <c>train_loss</c>, <c>val_acc</c>, <c>lr-Adam</c>.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }
}

