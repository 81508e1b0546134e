using Conduit.Frameworks;

namespace Conduit.Messages;

/// <summary>The model of a run has been built; its summary table is ready to show.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Summary">Layers, shapes and parameter counts.</param>
public sealed record ModelSummarized(string RunId, ModelSummary Summary);
