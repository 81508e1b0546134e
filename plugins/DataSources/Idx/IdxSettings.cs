using Conduit.Configuration;
using Conduit.Data;
using Microsoft.Extensions.Configuration;

namespace Conduit.DataSources.Idx;

/// <summary>The keys of a job's <c>data</c> section the idx source reads.</summary>
internal sealed record IdxSettings(string Path, string? Labels, TargetKind Task, double Scale, IReadOnlyList<int>? Shape, DataErrorPolicy Errors)
{
    /// <summary>Reads the settings, naming every bad key, its value and what is allowed.</summary>
    /// <exception cref="InvalidDataException">A setting is missing or not allowed (one line per problem).</exception>
    public static IdxSettings Read(IConfiguration data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var reader = new SettingsReader(data, "data");
        string path = reader.RequiredString("path", "the IDX file of features, such as data/train-images-idx3-ubyte.gz");
        string? labels = reader.String("labels");
        string task = reader.Choice("task", "classification", "classification", "regression");
        double scale = reader.Double("scale", 1, 0, exclusiveMin: true, allowed: "a number greater than 0 (features are value × scale, e.g. 0.00392156862745098 for 1/255)");
        IReadOnlyList<int>? shape = reader.Exists("shape") ? reader.IntList("shape", [], min: 1) : null;
        DataErrorPolicy errors = DataErrorPolicy.Read(reader);
        if (errors.SkipBadRows)
        {
            reader.Problem("on_error", "'skip' is not allowed; expected stop (an IDX file has no rows that can be bad on their own; use missing: skip for NaN values)");
        }
        reader.ThrowIfProblems();
        return new IdxSettings(path, labels, labels is null ? TargetKind.None : task == "regression" ? TargetKind.Regression : TargetKind.Classification, scale, shape, errors);
    }
}
