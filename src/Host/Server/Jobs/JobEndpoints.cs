using System.Text;
using Conduit.Host.Jobs;
using Conduit.Host.Server.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Conduit.Host.Server.Jobs;

/// <summary><c>/api/jobs</c>: submit, list, show, cancel, resume, and watch a job's events (Server-Sent Events).</summary>
internal static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder jobs = app.MapGroup("/api/jobs").WithTags("Jobs");
        jobs.MapPost("/", SubmitAsync).WithName("SubmitJob")
            .Produces<JobView>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        jobs.MapGet("/", (JobQueue queue) => Results.Ok(queue.All().Select(JobView.Of))).WithName("ListJobs");
        jobs.MapGet("/{id}", (string id, JobQueue queue) => queue.Find(id) is { } job ? Results.Ok(JobView.Of(job)) : NotFound(id)).WithName("GetJob");
        jobs.MapDelete("/{id}", Cancel).WithName("CancelJob");
        jobs.MapPost("/{id}/resume", Resume).WithName("ResumeJob");
        jobs.MapGet("/{id}/events", EventsAsync).WithName("JobEvents").Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, JobQueue queue, ServerOptions options)
    {
        var (body, problem) = await RequestBody.ReadAsync(request).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }
        JobSubmission.Accepted accepted;
        try
        {
            accepted = JobSubmission.Accept(body!, options);
        }
        catch (JobValidationException e)
        {
            string first = e.Problems[0];
            return Problems.Result(400, "Invalid job", first, Problems.KeyOf(first), e.Problems);
        }
        JobRecord job = queue.Submit(accepted);
        return Results.Accepted($"/api/jobs/{job.Id}", JobView.Of(job));
    }

    private static IResult Cancel(string id, JobQueue queue)
    {
        if (queue.Find(id) is not { } job)
        {
            return NotFound(id);
        }
        return queue.Cancel(id)
            ? Results.Accepted($"/api/jobs/{id}", JobView.Of(queue.Find(id)!))
            : Problems.Result(409, "Job already finished", $"job {id} is {JobQueueStore.Text(job.State)}; only queued or running jobs can be canceled", "id");
    }

    private static IResult Resume(string id, JobQueue queue)
    {
        if (queue.Find(id) is not { } job)
        {
            return NotFound(id);
        }
        return queue.Resume(id)
            ? Results.Accepted($"/api/jobs/{id}", JobView.Of(queue.Find(id)!))
            : Problems.Result(409, "Job not resumable", $"job {id} is {JobQueueStore.Text(job.State)}{(job.Checkpoint is null ? " without a checkpoint" : "")}; only an interrupted job with a checkpoint resumes", "id");
    }

    // Replays the job's events after Last-Event-ID, then streams new ones until the job's end event.
    private static async Task EventsAsync(string id, HttpContext context, JobQueue queue, JobEventHub hub)
    {
        if (queue.Find(id) is not { } job)
        {
            await NotFound(id).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        string? last = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["lastEventId"].FirstOrDefault();
        long after = 0;
        if (last is not null && (!long.TryParse(last, out after) || after < 0))
        {
            await Problems.Result(400, "Invalid Last-Event-ID", $"Last-Event-ID '{last}' is not an event id; expected a non-negative integer", "Last-Event-ID").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        JobEventLog log = hub.Log(id);
        if (job.Finished && log.Count == 0)
        {
            // Finished under an earlier server: its events are gone, its end is not.
            hub.Publish(id, "end", new { state = JobQueueStore.Text(job.State), error = job.Error, checkpoint = job.Checkpoint, resumable = job.Resumable, runId = job.RunId }, end: true);
        }
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 1000\n\n", context.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        var frame = new StringBuilder();
        try
        {
            await foreach (JobEvent e in log.ReadAsync(after, context.RequestAborted).ConfigureAwait(false))
            {
                frame.Clear().Append("id: ").Append(e.Id).Append("\nevent: ").Append(e.Type).Append("\ndata: ").Append(e.Data).Append("\n\n");
                await response.WriteAsync(frame.ToString(), context.RequestAborted).ConfigureAwait(false);
                await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; it reconnects with Last-Event-ID.
        }
    }

    private static IResult NotFound(string id) => Problems.Result(404, "Job not found", $"there is no job '{id}'", "id");
}
