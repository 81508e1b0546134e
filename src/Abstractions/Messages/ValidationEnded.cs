namespace Conduit.Messages;

/// <summary>A validation pass has ended.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Epoch">The epoch during or after which validation ran.</param>
/// <param name="GlobalStep">The global step at which validation ran.</param>
/// <param name="Metrics">The validation metrics (<c>val_loss</c>, <c>val_acc</c>, ...).</param>
public sealed record ValidationEnded(string RunId, int Epoch, long GlobalStep, IReadOnlyDictionary<string, double> Metrics);
