namespace Conduit.DataSources.Csv;

/// <summary>What is wrong with the quoting of a record, if anything.</summary>
internal enum CsvQuoteProblem
{
    /// <summary>The record is well formed.</summary>
    None,

    /// <summary>Text follows a field's closing quote (the field is kept, the row is bad).</summary>
    TextAfterClosingQuote,

    /// <summary>A quoted field runs to the end of the file: everything after its opening quote was swallowed.</summary>
    UnclosedQuote,
}
