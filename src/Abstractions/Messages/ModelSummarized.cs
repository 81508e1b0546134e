using Conduit.Frameworks;

namespace Conduit.Messages;

/// <summary>The model of a run has been built; its summary table is ready to show.</summary>
public sealed record ModelSummarized
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>Layers, shapes and parameter counts.</summary>
    public required ModelSummary Summary { get; init; }
}

