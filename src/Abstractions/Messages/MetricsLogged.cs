namespace Conduit.Messages;

/// <summary>Metric values logged at one step; what experiment loggers record.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Step">The global step the values belong to: one step axis for every logger.</param>
/// <param name="Epoch">The epoch the values belong to.</param>
/// <param name="Metrics">Metric name to value, for example <c>train_loss</c>, <c>val_acc</c>, <c>lr-Adam</c>.</param>
public sealed record MetricsLogged(string RunId, long Step, int Epoch, IReadOnlyDictionary<string, double> Metrics);
