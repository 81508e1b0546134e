using System.Globalization;
using Conduit.Tracking.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Conduit.Host.Server;

/// <summary>
/// Answers a request whose use of the experiment store failed with 503 and one line naming its file: removed
/// (restart the server), or locked by another connection past the busy timeout (with Retry-After), rather than a 500.
/// </summary>
internal sealed class StoreGuard(StoreHealth health)
{
    // Opened by path for each request, where a removed store would read as empty (or as another file in its place);
    // the job and sweep stores check their file on each statement.
    private static readonly string[] StorePaths = ["/api/runs"];

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (NeedsStore(context.Request.Path) && health.Problem is { } problem)
        {
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Store unavailable", problem).ConfigureAwait(false);
            return;
        }
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            if (e.RetryAfter is { } wait)
            {
                context.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Store unavailable", e.Message).ConfigureAwait(false);
        }
    }

    private static bool NeedsStore(PathString path) => StorePaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
}
