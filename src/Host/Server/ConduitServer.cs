using Conduit.Host.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Server;

/// <summary>
/// <c>conduit serve</c>: the same host and plugins as a service on Kestrel: jobs queued in the store and run by
/// workers, their events as Server-Sent Events, runs and plugins, model serving with dynamic batching, and the
/// dashboard at <c>/</c>.
/// </summary>
public static class ConduitServer
{
    /// <summary>Builds the server (not started): its plugins load now.</summary>
    public static WebApplication Build(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.StorePath = Path.GetFullPath(options.StorePath);
        // A training job holds a pool thread for its whole run; without spare threads, event streams and requests
        // would wait for the pool to grow (about one thread a second) while jobs train.
        ThreadPool.GetMinThreads(out int workerThreads, out int ioThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, 4 * options.Workers + 16), ioThreads);
        options.DataRoot = Path.GetFullPath(options.DataRoot);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.Host.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A failed start (a port in use) is reported by the command as one line; the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        // Running jobs need time to write their checkpoint on shutdown.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddOpenApi();

        // A service has no terminal: jobs report through their events, not the console logger's tables.
        options.Host.Plugins.Terminal = false;
        builder.Services.AddConduit(options.Host);
        builder.Services.AddConduitJobs(options);

        WebApplication app = builder.Build();
        // One container: the host is a singleton of the application's, created (its handlers subscribed) now.
        app.Services.GetRequiredService<ConduitHost>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        string dashboard = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var apiKey = new ApiKeyCheck(options.ApiKey, DashboardPaths(dashboard));
        app.Use((context, next) => apiKey.InvokeAsync(context, next));
        var storeGuard = new StoreGuard(app.Services.GetRequiredService<StoreHealth>());
        app.Use((context, next) => storeGuard.InvokeAsync(context, next));

        if (Directory.Exists(dashboard))
        {
            var files = new PhysicalFileProvider(dashboard);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        app.MapGet("/health", (StoreHealth store) => store.Problem is { } problem
            ? Results.Json(new { Status = "unhealthy", Reason = problem }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Ok(new { Status = "healthy" })).WithTags("System").WithSummary("Liveness: the process answers and its experiment store is there.");
        app.MapGet("/api/workers", (JobWorkers workers, CancellationToken cancellationToken) => workers.WorkersAsync(cancellationToken)).WithTags("Jobs").WithSummary("The worker processes running jobs now: id, host, pid, slots, jobs, last heartbeat, memory.");
        app.MapGet("/ready", (JobWorkers workers) => workers.Ready
            ? Results.Ok(new { Status = "ready" })
            : Problems.Result(StatusCodes.Status503ServiceUnavailable, "Not ready", "The job workers are not running (starting or stopping).")).WithTags("System").WithSummary("Readiness: plugins loaded and workers running.");
        app.MapGet("/api/plugins", (ConduitHost conduit) => Results.Ok(conduit.Plugins.Records.Select(p => new
        {
            p.Id,
            Version = p.Manifest?.Version.ToString(),
            Kind = p.Manifest?.Kind,
            Status = p.Status.ToString().ToLowerInvariant(),
            p.Reason,
            p.Manifest?.Description,
        }))).WithTags("System").WithSummary("The plugins found, with their status.");
        JobEndpoints.Map(app, options);
        RunEndpoints.Map(app, options);
        ModelEndpoints.Map(app, options);
        SweepEndpoints.Map(app, options);
        app.MapOpenApi();
        return app;
    }

    // The request paths of the dashboard's files as the static file middleware serves them, "/" for index.html.
    private static HashSet<string> DashboardPaths(string folder)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                paths.Add("/" + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/'));
            }
            if (paths.Contains("/index.html"))
            {
                paths.Add("/");
            }
        }
        return paths;
    }
}
