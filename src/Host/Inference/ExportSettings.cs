using Conduit.Configuration;

namespace Conduit.Host.Inference;

/// <summary>
/// A job's <c>export</c> key: <c>export: onnx</c>, or <c>export: { format: onnx, path: model.onnx }</c>; <c>none</c> (or
/// empty) turns it off. At the end of a fit, the best checkpoint (the last when nothing is monitored) is exported and checked.
/// </summary>
/// <param name="Format">The format.</param>
/// <param name="Path">The file to write, resolved against the job's folder.</param>
public sealed record ExportSettings(string Format, string Path)
{
    /// <summary>The formats a job may ask for.</summary>
    public static readonly string[] Formats = ["onnx"];

    /// <summary>Reads the <c>export</c> key; null when the job has none. Problems go to <paramref name="reader"/>.</summary>
    /// <param name="reader">The job's reader.</param>
    /// <param name="defaultPath">Where the model goes when the job does not say: <c>&lt;root&gt;/&lt;name&gt;/model.onnx</c>.</param>
    /// <param name="resolve">Resolves a path against the job's folder.</param>
    public static ExportSettings? Read(SettingsReader reader, string defaultPath, Func<string, string> resolve)
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
            if (!Formats.Contains(single))
            {
                reader.Problem("export", $"'{single}' is not allowed; expected one of {string.Join(", ", Formats)}, or a section with format and path");
            }
            return new ExportSettings(single, defaultPath);
        }
        string format = section.Choice("format", "onnx", Formats);
        string? path = section.String("path");
        return new ExportSettings(format, path is null ? defaultPath : resolve(path));
    }
}
