using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conduit.Messaging;

/// <summary>Registers message handlers that the host subscribes to the bus when it starts.</summary>
public static class MessagingServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="THandler"/> (a singleton) as a synchronous handler of <typeparamref name="TMessage"/>.</summary>
    public static IServiceCollection AddMessageHandler<TMessage, THandler>(this IServiceCollection services)
        where THandler : class, IMessageHandler<TMessage>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<THandler>();
        services.AddSingleton(new MessageHandlerRegistration(
            typeof(TMessage), typeof(THandler), SubscriptionMode.Synchronous,
            sp => sp.GetRequiredService<ISubscriber<TMessage>>().Subscribe(sp.GetRequiredService<THandler>())));
        return services;
    }

    /// <summary>Registers <typeparamref name="THandler"/> (a singleton) as a buffered handler of <typeparamref name="TMessage"/>.</summary>
    public static IServiceCollection AddAsyncMessageHandler<TMessage, THandler>(this IServiceCollection services, AsyncSubscriptionOptions? options = null)
        where THandler : class, IAsyncMessageHandler<TMessage>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<THandler>();
        services.AddSingleton(new MessageHandlerRegistration(
            typeof(TMessage), typeof(THandler), SubscriptionMode.Asynchronous,
            sp => sp.GetRequiredService<IAsyncSubscriber<TMessage>>().Subscribe(sp.GetRequiredService<THandler>(), options)));
        return services;
    }
}
