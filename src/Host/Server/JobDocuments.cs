using System.Text.Json;
using System.Text.Json.Nodes;
using Conduit.Host.Jobs;

namespace Conduit.Host.Server;

/// <summary>
/// Turns a submitted job document into a job file the runner loads, under the job's own folder, checking every path
/// in it first: data paths must stay inside the server's data folder (relative ones are resolved against it), paths
/// the job writes (loggers, export) must stay inside the job's folder, and the output root and the experiment store
/// are the server's. No path from a request reaches the disk unchecked.
/// </summary>
public sealed class JobDocuments(ServerOptions options)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The folder each job's files go under: <c>&lt;store folder&gt;/jobs/&lt;id&gt;</c>.</summary>
    public string JobsRoot => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.StorePath))!, "jobs");

    /// <summary>The folder of job <paramref name="id"/>.</summary>
    public string Folder(string id) => Path.Combine(JobsRoot, id);

    /// <summary>The job file of job <paramref name="id"/>.</summary>
    public string JobFile(string id) => Path.Combine(Folder(id), "job.json");

    /// <summary>Checks <paramref name="document"/> and writes it as job <paramref name="id"/>'s file; returns the loaded job.</summary>
    /// <exception cref="JobValidationException">A path or setting is not allowed; every problem, each naming its key.</exception>
    public JobDefinition Write(string id, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        string folder = Folder(id);
        var problems = new List<string>();
        JsonObject job = (JsonObject)document.DeepClone();
        if (job["data"] is JsonObject data)
        {
            foreach (var (key, value) in data.ToList())
            {
                if (IsFileKey(key) && value is JsonValue v && v.TryGetValue(out string? path) && path.Length > 0)
                {
                    data[key] = Inside(options.DataRoot, path, $"data.{key}", "the server's data folder", problems);
                }
            }
        }
        if (job["trainer"] is JsonObject trainer && trainer.ContainsKey("default_root_dir"))
        {
            problems.Add("trainer.default_root_dir: is set by the server (each job writes under its own folder); leave it out");
        }
        CheckWrittenPaths(job, "", folder, problems);
        if (problems.Count > 0)
        {
            throw new JobValidationException("job", problems);
        }
        JsonObject trainerSection = job["trainer"] as JsonObject ?? [];
        trainerSection["default_root_dir"] = folder;
        job["trainer"] = trainerSection;
        job["loggers"] = WithStore(job["loggers"]);

        Directory.CreateDirectory(folder);
        string file = JobFile(id);
        File.WriteAllText(file, job.ToJsonString(Indented));
        return JobLoader.Load(file);
    }

    // Runs record into the server's store, whatever else the job logs to.
    private JsonObject WithStore(JsonNode? loggers)
    {
        var sections = new JsonObject();
        switch (loggers)
        {
            case JsonArray list:
                foreach (JsonNode? name in list)
                {
                    if (name is JsonValue value && value.TryGetValue(out string? n) && n.Length > 0)
                    {
                        sections[n] = new JsonObject();
                    }
                    else
                    {
                        // Found by RequestFuzzTests: anything else in the list was a server error.
                        throw new JobValidationException("job", [$"loggers: {name?.ToJsonString() ?? "null"} is not a logger name; expected a list of names (\"loggers\": [\"csv\"]) or a section per logger"]);
                    }
                }
                break;
            case JsonObject given:
                foreach (var (name, settings) in given.ToList())
                {
                    sections[name] = settings?.DeepClone();
                }
                break;
        }
        // The store is the server's; the job's other sqlite settings (busy_timeout) stay.
        if (sections["sqlite"] is not JsonObject sqlite)
        {
            sections["sqlite"] = sqlite = [];
        }
        sqlite["path"] = Path.GetFullPath(options.StorePath);
        return sections;
    }

    private static void CheckWrittenPaths(JsonNode? node, string key, string folder, List<string> problems)
    {
        switch (node)
        {
            case JsonObject section:
                foreach (var (name, child) in section)
                {
                    string childKey = key.Length == 0 ? name : $"{key}.{name}";
                    if (childKey is "data" or "trainer.default_root_dir" || childKey.StartsWith("loggers.sqlite", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    if (childKey.StartsWith("loggers.", StringComparison.Ordinal) && name is "name" or "version"
                        && child is JsonValue segment && segment.TryGetValue(out string? folderName)
                        && PathSegment.Problem(folderName) is { } segmentProblem)
                    {
                        problems.Add($"{childKey}: {segmentProblem}");
                        continue;
                    }
                    if ((name is "path" or "save_dir" or "dir" || name.EndsWith("_path", StringComparison.Ordinal) || name.EndsWith("_dir", StringComparison.Ordinal))
                        && child is JsonValue value && value.TryGetValue(out string? path))
                    {
                        if (Path.IsPathRooted(path))
                        {
                            problems.Add($"{childKey}: '{path}' is an absolute path; expected a path relative to the job's folder");
                        }
                        else
                        {
                            Inside(folder, path, childKey, "the job's folder", problems);
                        }
                        continue;
                    }
                    CheckWrittenPaths(child, childKey, folder, problems);
                }
                break;
            case JsonArray items:
                for (int i = 0; i < items.Count; i++)
                {
                    CheckWrittenPaths(items[i], $"{key}.{i}", folder, problems);
                }
                break;
        }
    }

    internal static bool IsFileKey(string key) =>
        key is "path" or "labels" || key.EndsWith("_path", StringComparison.Ordinal) || key.EndsWith("_labels", StringComparison.Ordinal);

    private static string Inside(string root, string path, string key, string what, List<string> problems)
    {
        string full = FolderBoundary.Resolve(root, path);
        if (!FolderBoundary.Contains(root, full))
        {
            problems.Add($"{key}: '{path}' is outside {what}");
        }
        return full;
    }
}
