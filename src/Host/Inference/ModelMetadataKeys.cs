namespace Conduit.Host.Inference;

/// <summary>
/// The metadata keys an exported model carries, so that whoever loads it (any framework adapter, any ONNX consumer)
/// knows what its outputs mean without the job that trained it. Exporters write them as the host hands them over;
/// the README (Inference) documents them as part of the exported file's format.
/// </summary>
internal static class ModelMetadataKeys
{
    /// <summary>The architecture in the job's words (<c>mlp input=[64] hidden=[128] ...</c>).</summary>
    public const string Model = "conduit.model";

    /// <summary><c>classification</c> or <c>regression</c>.</summary>
    public const string Target = "conduit.target";

    /// <summary>The class names in output order, as a JSON array of strings.</summary>
    public const string ClassNames = "conduit.class_names";

    /// <summary>The normalization built into the model (<c>standardize</c>, <c>minmax</c>, <c>none</c>).</summary>
    public const string Preprocessing = "conduit.preprocessing";

    /// <summary>The run that trained the model.</summary>
    public const string RunId = "conduit.run_id";

    /// <summary>The job's name.</summary>
    public const string Job = "conduit.job";

    /// <summary>The checkpoint's metrics when it was exported, as a JSON object.</summary>
    public const string Metrics = "conduit.metrics";

    /// <summary>The data's feature names in input order, as a JSON array (when the source had names).</summary>
    public const string FeatureNames = "conduit.feature_names";
}
