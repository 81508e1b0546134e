using System.Text.Json;
using System.Text.Json.Serialization;
using Conduit.Frameworks;
using Conduit.Host.Server.Dashboard;
using Conduit.Host.Server.Events;
using Conduit.Host.Server.Jobs;
using Conduit.Host.Server.Runs;
using Conduit.Host.Server.Security;
using Conduit.Host.Server.Serving;
using Conduit.Messages;
using Conduit.Loggers.Sqlite;
using Conduit.Messaging;
using Conduit.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Server;

/// <summary>
/// <c>conduit serve</c>: the host's plugins, trainer and experiment store behind ASP.NET Core minimal APIs on Kestrel
/// (jobs, live events, runs, plugins, model serving, a dashboard).
/// </summary>
public sealed class ConduitServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IDisposable[] _subscriptions;

    private ConduitServer(WebApplication app, IDisposable[] subscriptions)
    {
        _app = app;
        _subscriptions = subscriptions;
    }

    /// <summary>The addresses Kestrel listens on (known once started; a port of 0 becomes the one bound).</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. (_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => new Uri(a))];

    /// <summary>The served models.</summary>
    public ModelRegistry Models => _app.Services.GetRequiredService<ModelRegistry>();

    /// <summary>
    /// Prepares host options for serving: the console logger's progress bars are left out (a service runs many jobs),
    /// and the <c>sqlite</c> logger runs from the host's own copy rather than its plugin folder. The server opens the
    /// same store file for its queue and the runs API, and two copies of the SQLite library in one process do not
    /// see each other's POSIX locks (closing a file in one drops the other's locks), which corrupts the file.
    /// </summary>
    public static ConduitHostOptions ForServing(ConduitHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Plugins.Disabled.Add("console");
        options.Plugins.Disabled.Add("sqlite");
        Action<IServiceCollection>? configure = options.ConfigureServices;
        options.ConfigureServices = services =>
        {
            configure?.Invoke(services);
            services.AddSingleton<IExperimentLogger, SqliteExperimentLogger>();
        };
        return options;
    }

    /// <summary>Builds the server over <paramref name="host"/> (owned by the caller, to be disposed after the server).</summary>
    /// <param name="host">The started host (with options from <see cref="ForServing"/>): plugins, bus, services.</param>
    /// <param name="options">Addresses, store, API key, workers, limits, models.</param>
    /// <param name="openModel">Opens a served model from its path; default: the framework plugin that reads the file.</param>
    /// <param name="minimumLogLevel">The least severe ASP.NET Core log level written.</param>
    public static ConduitServer Create(ConduitHost host, ServerOptions options, Func<string, IInferenceModel>? openModel = null, LogLevel minimumLogLevel = LogLevel.Warning)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        options.StoreFile = Path.GetFullPath(options.StoreFile);
        options.DataRoot = Path.GetFullPath(options.DataRoot);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders().SetMinimumLevel(minimumLogLevel).AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss "; });
        // Running jobs need time to finish their batch and write a checkpoint when the server stops.
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromMinutes(2));
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(host);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => new JobQueueStore(options.StoreFile));
        var events = new JobEventHub();
        builder.Services.AddSingleton(events);
        builder.Services.AddSingleton<JobQueue>();
        builder.Services.AddHostedService(s => s.GetRequiredService<JobQueue>());
        builder.Services.AddSingleton(_ => ModelRegistry.Open(options.Models, openModel ?? FrameworkModelOpener.For(host), options.MaxBatchSize, options.BatchTimeout));

        WebApplication app = builder.Build();
        if (options.ApiKey is { Length: > 0 } key)
        {
            var check = new ApiKeyCheck(key);
            app.Use((context, next) => check.InvokeAsync(context, next));
        }
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithName("Health");
        app.MapGet("/ready", (JobQueue queue) => queue.IsReady ? Results.Ok(new { status = "ready" }) : Problems.Result(503, "Not ready", "the job queue is starting or stopping"));
        JobEndpoints.Map(app);
        RunEndpoints.Map(app);
        ModelEndpoints.Map(app);
        DashboardFiles.Map(app);

        IDisposable[] subscriptions =
        [
            host.Services.GetRequiredService<ISubscriber<BatchEnded>>().Subscribe(events),
            host.Services.GetRequiredService<ISubscriber<MetricsLogged>>().Subscribe(events),
            host.Services.GetRequiredService<ISubscriber<CheckpointSaved>>().Subscribe(events),
            host.Services.GetRequiredService<ISubscriber<RunEnded>>().Subscribe(events),
        ];
        // Open the models now: a model that does not open stops the server before it listens.
        _ = app.Services.GetRequiredService<ModelRegistry>();
        return new ConduitServer(app, subscriptions);
    }

    /// <summary>Starts listening and the job workers; queued jobs of an earlier server are taken up.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Stops: running jobs end after their batch with a checkpoint and are marked interrupted.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>After <see cref="StartAsync"/>: waits until <paramref name="cancellationToken"/> fires or the process is asked to stop (SIGTERM, Ctrl+C), then stops.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        var lifetime = _app.Services.GetRequiredService<IHostApplicationLifetime>();
        using (cancellationToken.Register(lifetime.StopApplication))
        {
            await _app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }
}
