using Conduit.Data;

namespace Conduit.DataSources.Csv;

/// <summary>What reading a CSV file gave: the dataset, and the bad rows that <c>on_error: skip</c> left out.</summary>
/// <param name="Dataset">The rows kept.</param>
/// <param name="SkippedRows">How many bad rows were skipped (always 0 with <c>on_error: stop</c>).</param>
/// <param name="SkipReasons">Why, for the first few skipped rows, each as <c>file:line:col N (name): problem</c>.</param>
public sealed record CsvReadResult(InMemoryDataset Dataset, int SkippedRows, IReadOnlyList<string> SkipReasons)
{
    /// <summary>How many skip reasons are kept: enough to see the pattern, without holding every bad row.</summary>
    public const int MaxSkipReasons = RowTally.MaxReasons;
}
