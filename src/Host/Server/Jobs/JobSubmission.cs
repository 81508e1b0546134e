using System.Text.Json;
using System.Text.Json.Nodes;
using Conduit.Host.Jobs;
using Conduit.Host.Server.Security;

namespace Conduit.Host.Server.Jobs;

/// <summary>
/// Checks a posted job document before it is accepted: well-formed JSON, a valid job by the same rules as
/// <c>conduit run</c>, and data paths that stay inside the server's data root (rewritten to absolute paths, so the
/// stored document means the same thing after a restart). The job's own files go under its folder in the store.
/// </summary>
internal static class JobSubmission
{
    /// <summary>The data settings that name files.</summary>
    public static readonly string[] PathKeys = ["path", "labels", "validation_path", "test_path"];

    /// <summary>A job that passed every check: its id, name and the document to store.</summary>
    public sealed record Accepted(string Id, string Name, string Document);

    /// <summary>Validates <paramref name="body"/>; throws <see cref="JobValidationException"/> naming each bad key.</summary>
    public static Accepted Accept(string body, ServerOptions options)
    {
        JsonObject document;
        try
        {
            document = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject
                ?? throw new JobValidationException("body", ["$: expected a JSON object (a job document such as { \"data\": {...}, \"model\": {...} })"]);
        }
        catch (JsonException e)
        {
            throw new JobValidationException("body", [$"$: not valid JSON: {e.Message}"]);
        }
        var problems = new List<string>();
        if (document["data"] is JsonObject data)
        {
            foreach (string key in PathKeys)
            {
                if (data[key] is JsonValue value && value.TryGetValue(out string? path))
                {
                    if (SafePath.Resolve(options.DataRoot, path) is { } inside)
                    {
                        data[key] = inside;
                    }
                    else
                    {
                        problems.Add($"data.{key}: '{path}' is outside the server's data root; expected a path inside {options.DataRoot}");
                    }
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new JobValidationException("body", problems);
        }
        string id = Guid.NewGuid().ToString("N")[..12];
        string normalized = document.ToJsonString();
        string file = WriteDocument(options, id, normalized);
        try
        {
            JobDefinition job = Load(options, id, file);
            return new Accepted(id, job.Name, normalized);
        }
        catch (JobValidationException e)
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
            // The temporary file's name means nothing to the client; the keys do.
            throw new JobValidationException("body", e.Problems);
        }
    }

    /// <summary>The folder of job <paramref name="id"/>: its document, checkpoints and logs.</summary>
    public static string Folder(ServerOptions options, string id) => Path.Combine(options.JobsFolder, id);

    /// <summary>Writes the document where the job loader reads it.</summary>
    public static string WriteDocument(ServerOptions options, string id, string document)
    {
        string folder = Folder(options, id);
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "job.json");
        File.WriteAllText(file, document);
        return file;
    }

    /// <summary>Loads the stored job as <c>conduit run</c> would, its outputs in its folder and its run in the server's store.</summary>
    public static JobDefinition Load(ServerOptions options, string id, string file) =>
        JobLoader.Load(file, [
            $"trainer.default_root_dir={Folder(options, id)}",
            $"loggers.sqlite.path={Path.GetFullPath(options.StoreFile)}",
        ]);
}
