using Conduit.Host.Messaging;
using Conduit.Host.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conduit.Host;

/// <summary>
/// The running host: plugins loaded into their own contexts, one service provider, the message bus with every
/// registered handler subscribed. Disposing it drains the bus, so no message published before is lost.
/// </summary>
/// <remarks>
/// Standalone (<see cref="Start"/>, what the commands use) it owns its service provider; composed into an application
/// (<see cref="ConduitServiceCollectionExtensions.AddConduit(Microsoft.Extensions.Hosting.IHostApplicationBuilder, Action{ConduitHostOptions})"/>)
/// it is one singleton of the application's container, created when the application starts.
/// </remarks>
public sealed class ConduitHost : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly IDisposable _handlerSubscriptions;
    private ServiceProvider? _owned;
    private int _disposed;

    internal ConduitHost(IServiceProvider services, PluginCatalog plugins, RegisteredHandlers handlers)
    {
        _services = services;
        Plugins = plugins;
        Bus = services.GetRequiredService<MessageBus>();
        _handlerSubscriptions = handlers.SubscribeAll(services);
    }

    /// <summary>The host's services, plugins' included.</summary>
    public IServiceProvider Services => _services;

    /// <summary>Every plugin folder and its status.</summary>
    public PluginCatalog Plugins { get; }

    /// <summary>The message bus.</summary>
    public MessageBus Bus { get; }

    /// <summary>Loads the plugins, builds the services and subscribes the registered handlers: a host of its own.</summary>
    public static ConduitHost Start(ConduitHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(options.MinimumLogLevel)
            .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; })
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddConduit(options);
        ServiceProvider provider = services.BuildServiceProvider();
        ConduitHost host = provider.GetRequiredService<ConduitHost>();
        host._owned = provider;
        return host;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await Bus.DrainAsync(CancellationToken.None).ConfigureAwait(false);
        _handlerSubscriptions.Dispose();
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
