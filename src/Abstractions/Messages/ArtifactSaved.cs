namespace Conduit.Messages;

/// <summary>A file produced by a run (an exported model, a plot, a report) that trackers should record.</summary>
public sealed record ArtifactSaved
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>What it is: <c>checkpoint</c>, <c>model</c>, <c>plot</c>, ...</summary>
    public required string Kind { get; init; }

    /// <summary>The file's absolute path.</summary>
    public required string Path { get; init; }
}

