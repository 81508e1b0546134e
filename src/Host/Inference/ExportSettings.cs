using Conduit.Configuration;
using Conduit.Frameworks;

namespace Conduit.Host.Inference;

/// <summary>
/// A job's <c>export</c> key: <c>export: onnx</c>, or <c>export: { format: onnx, path: model.onnx }</c>; <c>none</c> (or
/// empty) turns it off. At the end of a fit, the best checkpoint (the last when nothing is monitored) is exported and checked.
/// </summary>
/// <param name="Format">The format.</param>
/// <param name="Path">The file to write, resolved against the job's folder.</param>
public sealed record ExportSettings(string Format, string Path)
{
    /// <summary>Reads the <c>export</c> key; null when the job has none. Problems go to <paramref name="reader"/>.</summary>
    /// <param name="reader">The job's reader.</param>
    /// <param name="framework">The job's training framework, whose formats are allowed; null when it is not installed (reported already).</param>
    /// <param name="defaultFolder">Where the model goes when the job does not say, as <c>model.&lt;format&gt;</c>.</param>
    /// <param name="resolve">Resolves a path against the job's folder.</param>
    public static ExportSettings? Read(SettingsReader reader, ITrainingFramework? framework, string defaultFolder, Func<string, string> resolve)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(resolve);
        if (!reader.Exists("export"))
        {
            return null;
        }
        SettingsReader section = reader.Section("export");
        bool hasKeys = section.Exists("format") | section.Exists("path");
        if (!hasKeys)
        {
            // export: onnx; switched off by export: none (or --set export= on a job that exports).
            if (section.Value is not { } single || single is "none" or "false")
            {
                return null;
            }
            if (Allowed(reader, framework) is { } formats && !formats.Contains(single))
            {
                reader.Problem("export", $"'{single}' is not allowed; expected {Expected(framework!.Name, formats)}, or a section with format and path");
            }
            return new ExportSettings(single, DefaultPath(defaultFolder, single));
        }
        IReadOnlyList<string>? allowed = Allowed(reader, framework);
        string format = allowed is null ? section.String("format") ?? "onnx" : section.Choice("format", allowed.FirstOrDefault(), allowed) ?? "";
        string? path = section.String("path");
        return new ExportSettings(format, path is null ? DefaultPath(defaultFolder, format) : resolve(path));
    }

    private static string DefaultPath(string folder, string format) => System.IO.Path.Combine(folder, $"model.{ModelExport.Extension(format)}");

    // A framework that exports nothing refuses every export; an unknown one is reported under model.framework.
    private static IReadOnlyList<string>? Allowed(SettingsReader reader, ITrainingFramework? framework)
    {
        if (framework is { ExportFormats.Count: 0 })
        {
            reader.Problem("export", $"the {framework.Name} framework exports no format; remove export");
        }
        return framework?.ExportFormats;
    }

    private static string Expected(string framework, IReadOnlyList<string> formats) =>
        $"one of {string.Join(", ", formats)} (what the {framework} framework exports)";
}
