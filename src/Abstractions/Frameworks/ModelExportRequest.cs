namespace Conduit.Frameworks;

/// <summary>What goes into an exported model besides the weights.</summary>
/// <param name="Format">The format: one of <see cref="IModelExporter.ExportFormats"/>.</param>
public sealed record ModelExportRequest(string Format)
{
    /// <summary>The per-feature scaling the model was trained behind, applied by the exported model itself; null for none.</summary>
    public FeatureScaling? Preprocessing { get; init; }

    /// <summary>The class names in output order (classification); empty otherwise.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>More key/value metadata to record in the model (run id, job, metrics).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
