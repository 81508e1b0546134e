using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conduit.Loggers.Console;

/// <summary>
/// Registers <see cref="ConsoleFeedback"/> as the handler of the run's messages. Configuration (<c>plugins:console</c>):
/// <c>mode</c> (<c>auto</c>, <c>live</c>, <c>plain</c>) and <c>width</c>.
/// </summary>
public sealed class ConsoleLoggerPlugin : IConduitPlugin
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        ConsoleLoggerOptions options = ConsoleLoggerOptions.FromConfiguration(context.Configuration);

        // One instance handles every message type, so that its single queue keeps them in publish order.
        services.TryAddSingleton(_ => new ConsoleFeedback(options));
        services.AddSingleton<IMessageHandler<RunStarted>>(Feedback);
        services.AddSingleton<IMessageHandler<EpochStarted>>(Feedback);
        services.AddSingleton<IMessageHandler<BatchEnded>>(Feedback);
        services.AddSingleton<IMessageHandler<EpochEnded>>(Feedback);
        services.AddSingleton<IMessageHandler<CheckpointSaved>>(Feedback);
        services.AddSingleton<IMessageHandler<RunEnded>>(Feedback);
    }

    private static ConsoleFeedback Feedback(IServiceProvider services) => services.GetRequiredService<ConsoleFeedback>();
}
