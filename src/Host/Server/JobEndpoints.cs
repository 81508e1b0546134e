using System.Text.Json.Nodes;
using Conduit.Host.Jobs;
using Conduit.Host.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Conduit.Host.Server;

/// <summary><c>/api/jobs</c>: submit, list, show, cancel, resume, and watch a job's events.</summary>
internal static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerOptions options)
    {
        RouteGroupBuilder jobs = app.MapGroup("/api/jobs").WithTags("Jobs");
        jobs.MapPost("/", async (HttpRequest request, JobSubmission submission, CancellationToken cancellationToken) =>
        {
            var (body, problem) = await Problems.ReadObjectAsync(request, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }
            try
            {
                ServerJob accepted = submission.Submit(body!);
                return Results.Accepted($"/api/jobs/{accepted.Id}", accepted);
            }
            catch (JobValidationException e)
            {
                return Problems.Result(StatusCodes.Status400BadRequest, "Invalid job", e.Problems[0], e.Problems);
            }
        }).WithSummary("Submit a job document; it is checked, stored and queued.");

        jobs.MapGet("/", (ServerJobStore store) => Results.Ok(store.All())).WithSummary("Every job, newest first.");

        jobs.MapGet("/{id}", (string id, ServerJobStore store) =>
            store.Find(id) is { } job ? Results.Ok(job) : NotFound(id)).WithSummary("One job.");

        jobs.MapDelete("/{id}", (string id, JobWorkers workers) =>
            workers.Cancel(id) is { } job ? Results.Accepted($"/api/jobs/{id}", job) : NotFound(id))
            .WithSummary("Cancel a job: a running one checkpoints and ends as canceled.");

        jobs.MapPost("/{id}/resume", (string id, ServerJobStore store, JobWorkers workers) =>
        {
            ServerJob? job = store.Find(id);
            if (job is null)
            {
                return NotFound(id);
            }
            if (job.Status is not (ServerJobStatus.Interrupted or ServerJobStatus.Canceled))
            {
                return Problems.Result(StatusCodes.Status409Conflict, "Not resumable", $"Job {id} is {job.Status.ToString().ToLowerInvariant()}; only interrupted or canceled jobs resume.");
            }
            job = job with { Status = ServerJobStatus.Queued, Resume = true, EndedAt = null };
            store.Update(job);
            workers.Restart(job);
            return Results.Accepted($"/api/jobs/{id}", job);
        }).WithSummary("Queue an interrupted or canceled job again, continuing from its last checkpoint.");

        jobs.MapGet("/{id}/events", async (string id, HttpContext context, ServerJobStore store, JobWorkers workers, IHostApplicationLifetime lifetime, CancellationToken requestAborted) =>
        {
            // A stream ends when its client leaves or the server stops (which must not wait for open streams).
            using var streaming = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime.ApplicationStopping);
            CancellationToken cancellationToken = streaming.Token;
            // A job of this server streams from memory, so its stream still ends when the store cannot be read.
            JobEventLog? log = workers.Events(id);
            ServerJob? job = log is null ? store.Find(id) : null;
            if (log is null && job is null)
            {
                await NotFound(id).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            long after = long.TryParse(context.Request.Headers["Last-Event-ID"], out long last) ? last
                : long.TryParse(context.Request.Query["after"], out long query) ? query : 0;
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            if (log is null)
            {
                // A job from before this server started: its end is all there is to tell.
                log = new JobEventLog();
                log.Complete("end", new { Status = job!.Status.ToString().ToLowerInvariant(), job.Reason, job.Metrics, job.Model });
            }
            try
            {
                await foreach (ServerEvent e in log.ReadAsync(after, cancellationToken).ConfigureAwait(false))
                {
                    await context.Response.WriteAsync($"id: {e.Id}\nevent: {e.Type}\ndata: {e.Data}\n\n", cancellationToken).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The client went away.
            }
        }).WithSummary("The job's events as Server-Sent Events (progress, metrics, epochs, checkpoints, end); Last-Event-ID resumes.");
    }

    private static IResult NotFound(string id) => Problems.Result(StatusCodes.Status404NotFound, "No such job", $"There is no job '{id}'.");
}
