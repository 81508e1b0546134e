using Conduit.DataSources.Common;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Support;

/// <summary>What reading a CSV file gave: the rows kept, and the bad rows that <c>on_error: skip</c> left out.</summary>
/// <param name="Dataset">The rows kept.</param>
/// <param name="SkippedRows">How many bad rows were skipped (always 0 with <c>on_error: stop</c>).</param>
/// <param name="SkipReasons">Why, for the first few skipped rows, each as <c>file:line:col N (name): problem</c>.</param>
public sealed record CsvReadResult(InMemoryDataset Dataset, long SkippedRows, IReadOnlyList<string> SkipReasons)
{
    /// <summary>How many skip reasons the source keeps.</summary>
    public const int MaxSkipReasons = RowTally.MaxReasons;
}
