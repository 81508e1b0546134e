using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Host.Messaging;

/// <summary>Registers the message bus.</summary>
public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="MessageBus"/> (also as <see cref="IMessageBusDiagnostics"/>) and the publisher and
    /// subscriber interfaces for every message type; every resolution of them shares the bus's topics.
    /// </summary>
    public static IServiceCollection AddConduitBus(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // A factory, so that a container without logging still gets a bus.
        services.TryAddSingleton(static sp => new MessageBus(sp.GetService<ILogger<MessageBus>>() ?? NullLogger<MessageBus>.Instance));
        services.TryAddSingleton<IMessageBusDiagnostics>(static sp => sp.GetRequiredService<MessageBus>());
        services.TryAddSingleton(typeof(IPublisher<>), typeof(Publisher<>));
        services.TryAddSingleton(typeof(ISubscriber<>), typeof(Subscriber<>));
        return services;
    }
}
