using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Host.Messaging;

/// <summary>Subscribes the handlers that the host and plugins registered with <see cref="MessagingServiceCollectionExtensions"/>.</summary>
public static class MessageHandlerSubscriptions
{
    /// <summary>
    /// Subscribes every <see cref="MessageHandlerRegistration"/> in <paramref name="services"/>. A handler that cannot
    /// be resolved or subscribed (a broken plugin) is logged and skipped; the others are subscribed.
    /// </summary>
    /// <returns>Unsubscribes them all when disposed.</returns>
    public static IDisposable SubscribeAll(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(MessageHandlerSubscriptions).FullName!)
            ?? NullLogger.Instance;
        var subscribed = new List<(MessageHandlerRegistration Registration, IDisposable Subscription)>();
        foreach (MessageHandlerRegistration registration in services.GetServices<MessageHandlerRegistration>())
        {
            try
            {
                subscribed.Add((registration, registration.Subscribe(services)));
            }
            catch (Exception e)
            {
                BusLog.SubscribeFailed(logger, e, TypeName(registration.HandlerType), TypeName(registration.MessageType));
            }
        }
        return new Subscriptions(subscribed, logger);
    }

    private static string TypeName(Type type) => type.FullName ?? type.Name;

    private sealed class Subscriptions(List<(MessageHandlerRegistration Registration, IDisposable Subscription)> subscribed, ILogger logger)
        : IDisposable
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
                    BusLog.UnsubscribeFailed(logger, e, TypeName(subscribed[i].Registration.HandlerType), TypeName(subscribed[i].Registration.MessageType));
                }
            }
        }
    }
}
