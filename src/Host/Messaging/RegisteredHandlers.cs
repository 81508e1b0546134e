using System.Reflection;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Host.Messaging;

/// <summary>
/// The handlers registered as services (<see cref="IMessageHandler{T}"/>, <see cref="IAsyncMessageHandler{T}"/>):
/// taken out of the collection before the container is built, so that each is created once, by the host, and one that
/// cannot be created (a broken plugin) is logged and skipped rather than failing every resolution of its message type.
/// </summary>
public sealed class RegisteredHandlers
{
    private static readonly MethodInfo SubscribeOne = typeof(RegisteredHandlers).GetMethod(nameof(Subscribe), BindingFlags.NonPublic | BindingFlags.Static)!;
    private readonly List<(Type Message, SubscriptionMode Mode, ServiceDescriptor Descriptor)> _handlers;

    private RegisteredHandlers(List<(Type, SubscriptionMode, ServiceDescriptor)> handlers) => _handlers = handlers;

    /// <summary>Whether <paramref name="descriptor"/> registers a bus handler.</summary>
    public static bool IsHandler(ServiceDescriptor descriptor) => Classify(descriptor) is not null;

    /// <summary>Removes the handler registrations from <paramref name="services"/>, to be subscribed by <see cref="SubscribeAll"/>.</summary>
    public static RegisteredHandlers Take(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var handlers = new List<(Type, SubscriptionMode, ServiceDescriptor)>();
        for (int i = 0; i < services.Count; i++)
        {
            if (Classify(services[i]) is { } found)
            {
                handlers.Add((found.Message, found.Mode, services[i]));
                services.RemoveAt(i--);
            }
        }
        return new RegisteredHandlers(handlers);
    }

    /// <summary>Creates and subscribes every handler, in registration order; dispose the result to unsubscribe them all.</summary>
    public IDisposable SubscribeAll(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(RegisteredHandlers).FullName!) ?? NullLogger.Instance;
        var subscribed = new List<(string Handler, Type Message, IDisposable Subscription)>();
        foreach ((Type message, SubscriptionMode mode, ServiceDescriptor descriptor) in _handlers)
        {
            string name = Describe(descriptor);
            try
            {
                object handler = descriptor.ImplementationInstance
                    ?? descriptor.ImplementationFactory?.Invoke(services)
                    ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
                var subscription = (IDisposable)SubscribeOne.MakeGenericMethod(message).Invoke(null, [services, handler, mode])!;
                subscribed.Add((name, message, subscription));
            }
            catch (Exception e)
            {
                BusLog.SubscribeFailed(logger, e is TargetInvocationException { InnerException: { } inner } ? inner : e, name, message.FullName ?? message.Name);
            }
        }
        return new Subscriptions(subscribed, logger);
    }

    private static IDisposable Subscribe<T>(IServiceProvider services, object handler, SubscriptionMode mode)
    {
        ISubscriber<T> subscriber = services.GetRequiredService<ISubscriber<T>>();
        return mode == SubscriptionMode.Synchronous
            ? subscriber.Subscribe((IMessageHandler<T>)handler)
            : subscriber.Subscribe((IAsyncMessageHandler<T>)handler);
    }

    private static (Type Message, SubscriptionMode Mode)? Classify(ServiceDescriptor descriptor)
    {
        if (descriptor.IsKeyedService || !descriptor.ServiceType.IsConstructedGenericType)
        {
            return null;
        }
        Type definition = descriptor.ServiceType.GetGenericTypeDefinition();
        SubscriptionMode? mode = definition == typeof(IMessageHandler<>) ? SubscriptionMode.Synchronous
            : definition == typeof(IAsyncMessageHandler<>) ? SubscriptionMode.Asynchronous
            : null;
        return mode is { } m ? (descriptor.ServiceType.GenericTypeArguments[0], m) : null;
    }

    private static string Describe(ServiceDescriptor descriptor) =>
        (descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType())?.FullName
        ?? descriptor.ImplementationFactory?.Method.DeclaringType?.FullName
        ?? descriptor.ServiceType.FullName!;

    private sealed class Subscriptions(List<(string Handler, Type Message, IDisposable Subscription)> subscribed, ILogger logger) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            // Newest first, the usual order for undoing; one failure does not keep the rest subscribed.
            for (int i = subscribed.Count - 1; i >= 0; i--)
            {
                try
                {
                    subscribed[i].Subscription.Dispose();
                }
                catch (Exception e)
                {
                    BusLog.UnsubscribeFailed(logger, e, subscribed[i].Handler, subscribed[i].Message.FullName ?? subscribed[i].Message.Name);
                }
            }
        }
    }
}
