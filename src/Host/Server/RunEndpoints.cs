using Conduit.Tracking.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Conduit.Host.Server;

/// <summary><c>/api/runs</c>: the experiment store's runs, their metrics and artifacts.</summary>
internal static class RunEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerOptions options)
    {
        RouteGroupBuilder runs = app.MapGroup("/api/runs").WithTags("Runs");
        runs.MapGet("/", () =>
        {
            using RunStore? store = Open(options);
            return Results.Ok(store is null ? [] : store.Runs().Select(r => new { r.Id, r.Name, r.Version, r.Status, r.StartedAt, r.EndedAt, Metrics = store.LastMetrics(r.Id) }).ToList());
        }).WithSummary("Every run in the store, newest first, with its last metrics.");

        runs.MapGet("/{id}/metrics", (string id) =>
        {
            using RunStore? store = Open(options);
            StoredRun? run = Find(store, id);
            if (run is null)
            {
                return NotFound(id);
            }
            return Results.Ok(new
            {
                run.Id,
                run.Name,
                Metrics = store!.MetricNames(run.Id).ToDictionary(n => n, n => store.Metric(run.Id, n).Select(p => new { p.Step, p.Epoch, p.Value }).ToList()),
            });
        }).WithSummary("Every metric of a run, step by step.");

        runs.MapGet("/{id}/artifacts/{**path}", (string id, string path) =>
        {
            using RunStore? store = Open(options);
            StoredRun? run = Find(store, id);
            if (run is null)
            {
                return NotFound(id);
            }
            // Only files inside the store's folder, named relative to it: no traversal, no absolute paths.
            string root = Path.GetDirectoryName(Path.GetFullPath(options.StorePath))!;
            string full = FolderBoundary.Resolve(root, path);
            if (Path.IsPathRooted(path) || !FolderBoundary.Contains(root, full))
            {
                return Problems.Result(StatusCodes.Status400BadRequest, "Path not allowed", $"'{path}' is outside the store's folder; artifact paths are relative to it.");
            }
            bool recorded = store!.Artifacts(run.Id).Any(a => Path.GetFullPath(a.Path) == full) || FolderBoundary.Contains(Path.Combine(root, "jobs"), full);
            return recorded && File.Exists(full)
                ? Results.File(full, "application/octet-stream", Path.GetFileName(full))
                : Problems.Result(StatusCodes.Status404NotFound, "No such artifact", $"Run {run.Id} has no artifact '{path}'.");
        }).WithSummary("Download a file a run recorded, named relative to the store's folder.");
    }

    private static RunStore? Open(ServerOptions options) => File.Exists(options.StorePath) ? RunStore.Open(options.StorePath) : null;

    private static StoredRun? Find(RunStore? store, string id)
    {
        try
        {
            return store?.Find(id);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    private static IResult NotFound(string id) => Problems.Result(StatusCodes.Status404NotFound, "No such run", $"There is no run '{id}'.");
}
