using Conduit.Host.Messaging;
using Conduit.Host.Plugins;
using Conduit.Host.Tracking;
using Conduit.Host.Training.Runs;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Host;

/// <summary>
/// Composes the Conduit host into a service collection: the bus, runs as scopes, the training telemetry and every
/// plugin's services, in one container with the application's own (as <c>conduit serve</c> does with ASP.NET Core).
/// </summary>
public static class ConduitServiceCollectionExtensions
{
    /// <summary>
    /// Adds the host to <paramref name="builder"/>: its configuration is the application's, the plugins load now,
    /// and <see cref="ConduitHost"/> starts (its handlers subscribed) when the application starts; stopping the
    /// application drains the bus.
    /// </summary>
    public static IHostApplicationBuilder AddConduit(this IHostApplicationBuilder builder, Action<ConduitHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ConduitHostOptions { Configuration = builder.Configuration };
        configure?.Invoke(options);
        builder.Services.AddConduit(options);
        builder.Services.AddHostedService<HostStart>();
        return builder;
    }

    /// <summary>Registers the host's services and loads the plugins into <paramref name="services"/>.</summary>
    public static IServiceCollection AddConduit(this IServiceCollection services, ConduitHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddLogging();
        // An application's own configuration stays its own (Kestrel reads its urls there); plugins get theirs from the options.
        services.TryAddSingleton(options.Configuration);
        services.AddSingleton(options.Limits);
        services.AddConduitBus();
        // A run is a scope: plugins' scoped loggers and callbacks take its RunContext (and the trainer's context).
        services.AddScoped<RunContextSlot>();
        services.AddScoped(sp => sp.GetRequiredService<RunContextSlot>().Context
            ?? throw new InvalidOperationException("A RunContext exists only in a run's scope: register run services (loggers, callbacks) as scoped."));
        services.AddScoped(sp => sp.GetRequiredService<RunContextSlot>().Trainer
            ?? throw new InvalidOperationException("An ITrainerContext exists only in a run's scope: register callbacks as scoped."));
        services.AddSingleton<TrainingTelemetry>();
        services.AddSingleton<IMessageHandler<RunStarted>>(sp => sp.GetRequiredService<TrainingTelemetry>());
        services.AddSingleton<IMessageHandler<BatchEnded>>(sp => sp.GetRequiredService<TrainingTelemetry>());
        services.AddSingleton<IMessageHandler<EpochEnded>>(sp => sp.GetRequiredService<TrainingTelemetry>());
        services.AddSingleton<IMessageHandler<MetricsLogged>>(sp => sp.GetRequiredService<TrainingTelemetry>());
        services.AddSingleton<IMessageHandler<RunEnded>>(sp => sp.GetRequiredService<TrainingTelemetry>());
        options.ConfigureServices?.Invoke(services);

        // Plugins register into the same collection; the manager logs through a factory of its own, built first.
        using (ServiceProvider bootstrap = services.BuildServiceProvider())
        {
            options.Plugins.Configuration = options.Configuration;
            var manager = new PluginManager(bootstrap.GetRequiredService<ILogger<PluginManager>>());
            services.AddSingleton(manager.Load(options.Plugins, services));
        }
        services.AddSingleton(RegisteredHandlers.Take(services));
        services.AddSingleton(sp => new ConduitHost(sp, sp.GetRequiredService<PluginCatalog>(), sp.GetRequiredService<RegisteredHandlers>()));
        return services;
    }

    // Creates the host as the application starts, so that its handlers are subscribed before any request.
    private sealed class HostStart(ConduitHost host) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await host.Bus.DrainAsync(cancellationToken).ConfigureAwait(false);
    }
}
