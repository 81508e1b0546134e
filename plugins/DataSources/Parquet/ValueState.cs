namespace Conduit.DataSources.Parquet;

/// <summary>Whether a cell holds a value, and if not, what stood in its place (messages name it).</summary>
internal enum ValueState : byte
{
    /// <summary>A usable value.</summary>
    Present,

    /// <summary>A null (the column is optional and the row has no value).</summary>
    Null,

    /// <summary>A floating-point NaN, which counts as missing.</summary>
    NaN,
}
