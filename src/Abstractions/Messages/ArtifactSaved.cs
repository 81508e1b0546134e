namespace Conduit.Messages;

/// <summary>A file produced by a run (an exported model, a plot, a report) that trackers should record.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Kind">What it is: <c>checkpoint</c>, <c>model</c>, <c>plot</c>, ...</param>
/// <param name="Path">The file's absolute path.</param>
public sealed record ArtifactSaved(string RunId, string Kind, string Path);
