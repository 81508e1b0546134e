using Conduit.Configuration;
using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.DataSources.Idx;

/// <summary>The keys of a job's <c>data</c> section the idx source reads; the host's own keys are left to the host.</summary>
/// <param name="Path">The IDX file of features (<c>path</c>).</param>
/// <param name="Labels">The IDX file of labels (<c>labels</c>), or null for data without targets.</param>
/// <param name="Task">The target: none without labels, else <c>task</c> (classification by default).</param>
/// <param name="Scale">What every feature value is divided by (<c>scale</c>, default 1; 255 maps bytes to [0, 1]).</param>
/// <param name="Shape">The per-example shape to use instead of the file's (<c>shape</c>), or null.</param>
/// <param name="Errors">What a NaN (a missing value) does (<c>missing</c>, <c>fill_value</c>).</param>
internal sealed record IdxSettings(string Path, string? Labels, TargetKind Task, double Scale, IReadOnlyList<int>? Shape, DataErrorPolicy Errors)
{
    /// <summary>Reads the settings, naming every bad key, its value and what is allowed.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or not allowed (one line per problem).</exception>
    public static IdxSettings Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string path = reader.FilePath("path", "the IDX file of features, such as data/train-images-idx3-ubyte.gz");
        string? labels = reader.FilePath("labels");
        string task = reader.Choice("task", "classification", "classification", "regression");
        if (labels is null && reader.Exists("task"))
        {
            reader.Problem("task", $"'{task}' needs data.labels; expected the IDX file of labels (data.labels), or no task for data without targets");
        }
        double scale = reader.Double("scale", 1, SettingRange.Positive, allowed: "a number greater than 0 (features are value / scale, e.g. 255 for bytes in [0, 1])");
        IReadOnlyList<int>? shape = reader.Exists("shape") ? reader.IntList("shape", [], min: 1) : null;
        DataErrorPolicy errors = DataErrorPolicy.Read(reader);
        if (errors.SkipBadRows)
        {
            reader.Problem("on_error", "'skip' is not allowed; expected stop (an IDX file has no examples that can be bad on their own; use missing: skip for NaN values)");
        }
        reader.RejectUnknown();
        reader.ThrowIfProblems();
        TargetKind target = labels is null ? TargetKind.None : task == "regression" ? TargetKind.Regression : TargetKind.Classification;
        return new IdxSettings(path, labels, target, scale, shape, errors);
    }
}
