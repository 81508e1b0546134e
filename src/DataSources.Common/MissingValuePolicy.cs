namespace Conduit.DataSources.Common;

/// <summary>What a data source does with a missing value (an empty cell, a null, NaN).</summary>
public enum MissingValuePolicy
{
    /// <summary>A missing value makes its row bad: the read stops there, or skips the row under <c>on_error: skip</c>.</summary>
    Error,

    /// <summary>A row with a missing value is left out and counted.</summary>
    Skip,

    /// <summary>A missing value is replaced by <see cref="DataErrorPolicy.FillValue"/>, and counted.</summary>
    Fill,
}
