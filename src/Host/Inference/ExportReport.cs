namespace Conduit.Host.Inference;

/// <summary>What an export wrote and how closely the exported model matched the original.</summary>
/// <param name="Path">The exported file.</param>
/// <param name="Format">Its format.</param>
/// <param name="Checkpoint">The checkpoint it came from.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Check">The comparison of both models' outputs on a test batch.</param>
public sealed record ExportReport(string Path, string Format, string Checkpoint, long Bytes, OutputComparison Check);
