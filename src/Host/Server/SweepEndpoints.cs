using Conduit.Host.Jobs;
using Conduit.Host.Sweeps;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Conduit.Host.Server;

/// <summary><c>/api/sweeps</c>: start a sweep (its job inline), list them, show one with its trials, cancel one.</summary>
internal static class SweepEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerOptions options)
    {
        RouteGroupBuilder sweeps = app.MapGroup("/api/sweeps").WithTags("Sweeps");
        sweeps.MapPost("/", async (HttpRequest request, SweepRunner runner, JobDocuments documents, ConduitHost host, CancellationToken cancellationToken) =>
        {
            var (body, problem) = await Problems.ReadObjectAsync(request, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }
            try
            {
                SweepDefinition sweep = SweepLoader.FromDocument(body!);
                SweepCheck.Run(sweep, documents, host, prepare: false);
                SweepRecord started = runner.Start(sweep);
                return Results.Accepted($"/api/sweeps/{started.Id}", new { started.Id, started.Name, started.Status, sweep.Method, sweep.MaxTrials });
            }
            catch (JobValidationException e)
            {
                return Problems.Result(StatusCodes.Status400BadRequest, "Invalid sweep", e.Problems[0], e.Problems);
            }
        }).WithSummary("Start a sweep: method, metric, parameters, max_trials, early_stop and its job inline; checked before any trial starts.");

        sweeps.MapGet("/", (SweepStore store) => Results.Ok(store.All().Select(s =>
        {
            IReadOnlyList<TrialRecord> trials = store.Trials(s.Id);
            return new { s.Id, s.Name, s.Status, s.CreatedAt, s.EndedAt, s.Reason, Trials = trials.Count, Running = trials.Count(t => !t.Ended) };
        }).ToList())).WithSummary("Every sweep, newest first.");

        sweeps.MapGet("/{id}", (string id, SweepStore store, JobDocuments documents) =>
            store.Find(id) is { } sweep ? Results.Ok(SweepResult.Of(sweep, store.Trials(id), documents.JobsRoot)) : NotFound(id))
            .WithSummary("One sweep: its trials sorted by the metric (best first), each with its parameters, status and metrics, and the best.");

        sweeps.MapGet("/{id}/curves", (string id, SweepStore store) =>
            store.Find(id) is null ? NotFound(id)
            : Results.Ok(store.Reports(id).GroupBy(r => r.Number).Select(g => new { Trial = g.Key, Points = g.Select(r => new { r.Epoch, r.Value }) })))
            .WithSummary("Every trial's metric after each epoch: the learning curves.");

        sweeps.MapDelete("/{id}", (string id, SweepStore store, SweepRunner runner) =>
            store.Find(id) is not { } sweep ? NotFound(id)
            : runner.Cancel(id) ? Results.Accepted($"/api/sweeps/{id}", new { sweep.Id, Status = "canceling" })
            : Problems.Result(StatusCodes.Status409Conflict, "Not running", $"Sweep {id} is {sweep.Status}; only a running sweep can be canceled."))
            .WithSummary("Cancel a sweep: no more trials; running ones checkpoint and end canceled.");
    }

    private static IResult NotFound(string id) => Problems.Result(StatusCodes.Status404NotFound, "No such sweep", $"There is no sweep '{id}'.");
}
