namespace Conduit.Data;

/// <summary>What a dataset's target is.</summary>
public enum TargetKind
{
    /// <summary>No target (inference data).</summary>
    None,

    /// <summary>A class index per example (see <see cref="DataSchema.ClassNames"/>).</summary>
    Classification,

    /// <summary>One or more real values per example.</summary>
    Regression,
}
