using Conduit.Host.Sweeps;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Server;

/// <summary>
/// The job machinery a server runs and <c>conduit sweep</c> runs headless: the queue and sweeps in the store, the job
/// documents, the models, the worker processes and the sweep controllers (started in that order, stopped in reverse).
/// </summary>
public static class JobServices
{
    /// <summary>Adds the job queue, workers and sweeps configured by <paramref name="options"/>.</summary>
    public static IServiceCollection AddConduitJobs(this IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(_ => ServerJobStore.Open(options.StorePath, options.StoreBusyTimeout));
        services.AddSingleton(_ => SweepStore.Open(options.StorePath, options.StoreBusyTimeout));
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<JobDocuments>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<JobWorkers>();
        services.AddSingleton<JobSubmission>();
        services.AddSingleton<SweepRunner>();
        services.AddHostedService(s => s.GetRequiredService<JobWorkers>());
        services.AddHostedService(s => s.GetRequiredService<SweepRunner>());
        return services;
    }
}
