using System.Globalization;
using Conduit.Messages;

namespace Conduit.Tracking;

/// <summary>
/// Lightning's logger layout, <c>&lt;save_dir&gt;/&lt;name&gt;/version_&lt;n&gt;/</c>, with the run's id kept in the
/// folder, so a resumed run writes to the folder it started in and loggers of one run share it.
/// </summary>
public static class RunFolders
{
    /// <summary>The file in a version folder that names the run it belongs to.</summary>
    public const string RunIdFile = "conduit-run-id.txt";

    /// <summary>
    /// Where logger <paramref name="logger"/> writes for <paramref name="run"/>: <c>loggers.&lt;logger&gt;.save_dir</c>
    /// (relative to the run's root directory) or the root directory itself, then the job's name, then the run's version.
    /// </summary>
    public static string For(RunStarted run, string logger)
    {
        ArgumentNullException.ThrowIfNull(run);
        string root = run.RootDirectory ?? Directory.GetCurrentDirectory();
        string saveDir = run.Hyperparameters.TryGetValue($"loggers.{logger}.save_dir", out string? configured) && configured.Length > 0
            ? Path.GetFullPath(Path.Combine(root, configured))
            : root;
        string name = run.Hyperparameters.TryGetValue($"loggers.{logger}.name", out string? named) && named.Length > 0 ? named : run.Name;
        if (name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ArgumentException($"loggers.{logger}.name: '{name}' is not a folder name; expected a name without separators or '..'");
        }
        return Resolve(Path.Combine(saveDir, name), run.RunId);
    }

    /// <summary>The version folder of <paramref name="runId"/> under <paramref name="folder"/>, created as the next <c>version_n</c> if the run has none.</summary>
    public static string Resolve(string folder, string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        Directory.CreateDirectory(folder);
        int next = 0;
        foreach (string version in Directory.EnumerateDirectories(folder, "version_*"))
        {
            string marker = Path.Combine(version, RunIdFile);
            if (File.Exists(marker) && File.ReadAllText(marker).Trim() == runId)
            {
                return version;
            }
            if (int.TryParse(Path.GetFileName(version)["version_".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                next = Math.Max(next, n + 1);
            }
        }
        // Claim the number by creating its marker exclusively: two runs starting at once get different versions.
        for (; ; next++)
        {
            string version = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"version_{next}"));
            Directory.CreateDirectory(version);
            try
            {
                using var marker = new FileStream(Path.Combine(version, RunIdFile), FileMode.CreateNew, FileAccess.Write);
                marker.Write(System.Text.Encoding.UTF8.GetBytes(runId));
                return version;
            }
            catch (IOException) when (File.Exists(Path.Combine(version, RunIdFile)))
            {
                if (File.ReadAllText(Path.Combine(version, RunIdFile)).Trim() == runId)
                {
                    return version; // another logger of this run claimed it a moment ago
                }
            }
        }
    }
}
