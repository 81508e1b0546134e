using Conduit.Configuration;
using Conduit.Tracking;

namespace Conduit.Host.Tracking;

/// <summary>
/// Which experiment loggers a job uses: its <c>loggers</c> section names them as a list (<c>["csv", "tensorboard"]</c>)
/// or as sections with settings (<c>{ "csv": { "save_dir": "logs" } }</c>). Each logger reads its own section; the
/// folder keys every file logger shares (<c>save_dir</c>, <c>name</c>) are the host's.
/// </summary>
internal static class LoggerSelection
{
    /// <summary>The loggers <paramref name="reader"/>'s <c>loggers</c> section names, checked against those installed.</summary>
    public static List<IExperimentLogger> Select(SettingsReader reader, IReadOnlyList<IExperimentLogger> installed)
    {
        ArgumentNullException.ThrowIfNull(reader);
        SettingsReader loggers = reader.Section("loggers");
        var selected = new List<IExperimentLogger>();
        foreach (var child in loggers.Configuration.GetChildren())
        {
            bool listed = int.TryParse(child.Key, out _);
            string? name = listed ? loggers.String(child.Key) : child.Key;
            if (!listed && child.Value is { } flag)
            {
                loggers.String(child.Key);
                if (bool.TryParse(flag, out bool on) && !on)
                {
                    continue; // "csv": false
                }
            }
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }
            IExperimentLogger? logger = installed.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
            if (logger is null)
            {
                loggers.Raw(child.Key); // said here; not again as an unknown key
                loggers.Problem(child.Key, $"'{name}' is not installed; expected one of {string.Join(", ", installed.Select(l => l.Name).DefaultIfEmpty("none"))}; {Plugins.Install.PluginPackageRequest.InstallHint(LoggerPluginId(name))}");
            }
            else if (!selected.Contains(logger))
            {
                selected.Add(logger);
                SettingsReader own = loggers.Section(logger.Name);
                own.String("save_dir");
                own.String("name");
            }
        }
        return selected;
    }

    // Conduit's logger plugins are named as their loggers, but the csv logger's id is csvlogger (csv is the data source).
    private static string LoggerPluginId(string name) => name.Equals("csv", StringComparison.OrdinalIgnoreCase) ? "csvlogger" : name.ToLowerInvariant();
}
