using Conduit.Configuration;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Parquet;

/// <summary>The keys of a job's <c>data</c> section the parquet source reads (the csv source's names where they overlap).</summary>
internal sealed record ParquetSettings(string Path, string? Label, TargetKind Task, IReadOnlyList<string>? Features, IReadOnlyList<int>? Shape, DataErrorPolicy Errors)
{
    /// <summary>Reads the settings, naming every bad key, its value and what is allowed.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or not allowed (one line per problem).</exception>
    public static ParquetSettings Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string path = reader.FilePath("path", "the Parquet file to read, such as data/digits.parquet");
        string? label = reader.String("label");
        IReadOnlyList<string>? features = reader.StringList("features");
        string task = reader.Choice("task", "classification", "classification", "regression");
        IReadOnlyList<int>? shape = reader.Exists("shape") ? reader.IntList("shape", [], min: 1) : null;
        DataErrorPolicy errors = DataErrorPolicy.Read(reader);
        reader.RejectUnknown();
        reader.ThrowIfProblems();
        return new ParquetSettings(path, label, task == "regression" ? TargetKind.Regression : TargetKind.Classification, features, shape, errors);
    }
}
