using Conduit.Host.Server.Security;
using Conduit.Loggers.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Conduit.Host.Server.Runs;

/// <summary><c>/api/runs</c> (the experiment store) and <c>/api/plugins</c>.</summary>
internal static class RunEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder runs = app.MapGroup("/api/runs").WithTags("Runs");
        runs.MapGet("/", (ServerOptions options) => WithStore(options, store => Results.Ok(store.Runs()))).WithName("ListRuns");
        runs.MapGet("/{id}", (string id, ServerOptions options) => WithRun(options, id, (store, run) => Results.Ok(new
        {
            run,
            @params = store.Params(run.Id),
            metrics = store.LastMetrics(run.Id),
            artifacts = store.Artifacts(run.Id).Select(a => new { a.Kind, a.Path }),
        }))).WithName("GetRun");
        runs.MapGet("/{id}/metrics", (string id, ServerOptions options) => WithRun(options, id, (store, run) => Results.Ok(
            store.MetricNames(run.Id).ToDictionary(name => name, name => store.Metric(run.Id, name).Select(p => new { p.Step, p.Epoch, value = double.IsFinite(p.Value) ? p.Value : (double?)null }))))).WithName("RunMetrics");
        runs.MapGet("/{id}/artifacts/{**path}", Artifact).WithName("RunArtifact");

        app.MapGet("/api/plugins", (ConduitHost host) => Results.Ok(host.Plugins.Records.Select(p => new
        {
            p.Id,
            version = p.Manifest?.Version.ToString(),
            kind = p.Manifest?.Kind,
            description = p.Manifest?.Description,
            status = p.Status.ToString().ToLowerInvariant(),
            reason = p.Reason,
        }))).WithTags("Plugins").WithName("ListPlugins");
    }

    // Only files inside the store's folder are served, whatever the request's path says.
    private static IResult Artifact(string id, string path, ServerOptions options) => WithRun(options, id, (_, run) =>
    {
        string root = Path.GetDirectoryName(options.StoreFile)!;
        string? full = SafePath.Resolve(root, path);
        if (full is null)
        {
            return Problems.Result(400, "Path refused", $"artifact path '{path}' leaves the store's folder; expected a path relative to it", "path");
        }
        return File.Exists(full)
            ? TypedResults.PhysicalFile(full, "application/octet-stream", Path.GetFileName(full))
            : Problems.Result(404, "Artifact not found", $"there is no file '{path}' in the store's folder", "path");
    });

    private static IResult WithRun(ServerOptions options, string id, Func<RunStore, StoredRun, IResult> answer) => WithStore(options, store =>
    {
        try
        {
            return answer(store, store.Find(id));
        }
        catch (KeyNotFoundException e)
        {
            return Problems.Result(404, "Run not found", e.Message, "id");
        }
        catch (InvalidOperationException e)
        {
            return Problems.Result(400, "Ambiguous run id", e.Message, "id");
        }
    });

    private static IResult WithStore(ServerOptions options, Func<RunStore, IResult> answer)
    {
        using RunStore store = RunStore.Open(options.StoreFile);
        return answer(store);
    }
}
