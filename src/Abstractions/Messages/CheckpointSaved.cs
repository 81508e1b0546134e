namespace Conduit.Messages;

/// <summary>A checkpoint file has been written completely.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Path">The checkpoint's absolute path.</param>
/// <param name="Epoch">The epoch its weights were trained in (counted from 0).</param>
/// <param name="GlobalStep">The global step stored in it.</param>
/// <param name="Monitor">The monitored metric's name and value, when the checkpoint was chosen by one.</param>
public sealed record CheckpointSaved(string RunId, string Path, int Epoch, long GlobalStep, KeyValuePair<string, double>? Monitor);
