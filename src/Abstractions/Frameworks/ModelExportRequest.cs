namespace Conduit.Frameworks;

/// <summary>What goes into an exported model besides the weights.</summary>
/// <param name="Format">The format: one of <see cref="ITrainingFramework.ExportFormats"/>.</param>
public sealed record ModelExportRequest(string Format)
{
    /// <summary>
    /// Per feature, what the exported model subtracts from its input before anything else; with
    /// <see cref="FeatureScale"/>, feature <c>i</c> becomes <c>(x - FeatureCenter[i]) / FeatureScale[i]</c>, the
    /// normalization the model was trained behind. <see langword="null"/> when the model takes raw features.
    /// </summary>
    public IReadOnlyList<float>? FeatureCenter { get; init; }

    /// <summary>Per feature, what the centered input is divided by (never 0); set with <see cref="FeatureCenter"/>.</summary>
    public IReadOnlyList<float>? FeatureScale { get; init; }

    /// <summary>
    /// The metadata to record in the model as it is (the <c>conduit.*</c> keys: target, class names, preprocessing,
    /// run, job, metrics), so that whoever loads it knows what its outputs mean.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
