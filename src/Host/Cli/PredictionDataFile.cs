using Conduit.Configuration;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Data;
using Conduit.Host.Inference;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Cli;

/// <summary>
/// The data file <c>predict</c> reads: with the model's own data settings, then the command line's; and, when nobody
/// says which column is the label, a file with one column more than the model takes whose extra column is named like
/// a label (<c>label</c>, <c>target</c>, <c>y</c>) has it as its label, said on stderr.
/// </summary>
internal sealed class PredictionDataFile(ConduitHost host, IInferenceModel model, FileInfo file, CliConsole console) : IDisposable
{
    private static readonly string[] LabelNames = ["label", "target", "y"];

    private IDataset? _data;

    /// <summary>The opened dataset.</summary>
    public IDataset Data => _data ?? throw new InvalidOperationException("The data file is not open yet.");

    /// <summary>Opens the file with the model's settings, <paramref name="options"/> (<c>key=value</c>) and <paramref name="label"/> over them.</summary>
    /// <exception cref="CommandException">A setting, the source or the file is not right; one line naming it.</exception>
    public void Open(string? sourceName, IReadOnlyList<string> options, string? label)
    {
        Dictionary<string, string?> settings = Settings(options, label);
        string name = sourceName ?? (settings.TryGetValue("source", out string? recordedSource) ? recordedSource : null) ?? SourceByExtension(file.Name)
            ?? throw new CommandException($"--data: cannot tell the source of '{file.Name}' from its extension; add --source csv|parquet|idx", ExitCodes.Usage);
        settings["source"] = name;
        IReadOnlyList<IDataSource> sources = host.Plugins.ResolveAll<IDataSource>(host.Services);
        IDataSource source = sources.FirstOrDefault(s => s.Name == name)
            ?? throw new CommandException($"--source: '{name}' is not installed; available: {string.Join(", ", sources.Select(s => s.Name).DefaultIfEmpty("none"))}", ExitCodes.Usage);
        _data = Open(source, settings);
        long width = model.InputShape.ElementCount;
        DataSchema schema = _data.Schema;
        if (!settings.ContainsKey("label") && schema.Target == TargetKind.None && schema.FeatureShape.ElementCount == width + 1
            && schema.FeatureNames.FirstOrDefault(n => LabelNames.Contains(n, StringComparer.OrdinalIgnoreCase)) is { } column)
        {
            console.Error.WriteLine($"conduit: {file.Name}: using column '{column}' as the label ({width + 1} columns; the model takes {width} features); --label COLUMN to choose another");
            Dispose();
            settings["label"] = column;
            _data = Open(source, settings);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        (_data as IDisposable)?.Dispose();
        _data = null;
    }

    // The model's own data settings, then --option, then --label; the path comes from the file.
    private Dictionary<string, string?> Settings(IReadOnlyList<string> options, string? label)
    {
        Dictionary<string, string> recorded = InferenceCommands.Run(() => PredictionData.FromModel(model));
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in recorded)
        {
            settings[key.Replace('.', ':')] = value;
        }
        foreach (string pair in options)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CommandException($"--option: '{pair}' is not a setting; expected key=value such as label=target", ExitCodes.Usage);
            }
            string key = pair[..equals].Trim();
            // Array settings (features.0, shape.1) replace the model's whole array.
            foreach (string stale in settings.Keys.Where(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                settings.Remove(stale);
            }
            settings[key.Replace('.', ':')] = pair[(equals + 1)..].Trim();
        }
        if (label is not null)
        {
            settings["label"] = label;
        }
        settings["path"] = file.FullName;
        return settings;
    }

    private static IDataset Open(IDataSource source, Dictionary<string, string?> settings)
    {
        try
        {
            // The host's own keys (batch size, split, ...) are read first, so the source refuses only what neither reads.
            var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "data");
            DataSettings.Read(reader);
            return source.Open(reader);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new CommandException($"--data: {e.Message}");
        }
    }

    private static string? SourceByExtension(string name)
    {
        string lower = name.ToLowerInvariant();
        lower = lower.EndsWith(".gz", StringComparison.Ordinal) ? lower[..^3] : lower;
        return Path.GetExtension(lower) switch
        {
            ".csv" or ".tsv" or ".txt" => "csv",
            ".parquet" => "parquet",
            ".idx" => "idx",
            _ when lower.EndsWith("-ubyte", StringComparison.Ordinal) => "idx",
            _ => null,
        };
    }
}
