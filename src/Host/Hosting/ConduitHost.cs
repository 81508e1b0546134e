using Conduit.Host.Messaging;
using Conduit.Host.Plugins;
using Conduit.Host.Tracking;
using Conduit.Host.Training.Runs;
using Conduit.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conduit.Host;

/// <summary>
/// The running host: plugins loaded into their own contexts, one service provider, the message bus with every
/// registered handler subscribed. Disposing it drains the bus, so no message published before is lost.
/// </summary>
public sealed class ConduitHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly IDisposable _handlerSubscriptions;

    private ConduitHost(ServiceProvider provider, PluginCatalog plugins, IDisposable handlerSubscriptions)
    {
        _provider = provider;
        Plugins = plugins;
        _handlerSubscriptions = handlerSubscriptions;
        Bus = provider.GetRequiredService<MessageBus>();
    }

    /// <summary>The host's services, plugins' included.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>Every plugin folder and its status.</summary>
    public PluginCatalog Plugins { get; }

    /// <summary>The message bus.</summary>
    public MessageBus Bus { get; }

    /// <summary>Loads the plugins, builds the services and subscribes the registered handlers.</summary>
    public static ConduitHost Start(ConduitHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(options.MinimumLogLevel)
            .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton(options.Configuration);
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
            PluginCatalog catalog = manager.Load(options.Plugins, services);
            services.AddSingleton(catalog);
        }
        RegisteredHandlers handlers = RegisteredHandlers.Take(services);
        ServiceProvider provider = services.BuildServiceProvider();
        IDisposable subscriptions = handlers.SubscribeAll(provider);
        return new ConduitHost(provider, provider.GetRequiredService<PluginCatalog>(), subscriptions);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Bus.DrainAsync(CancellationToken.None).ConfigureAwait(false);
        _handlerSubscriptions.Dispose();
        await _provider.DisposeAsync().ConfigureAwait(false);
    }
}
