using Conduit.Accelerators;
using Conduit.Fixtures;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Fixture.Good;

public sealed class GoodPlugin : IConduitPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        services.AddSingleton<IAccelerator>(new FactAccelerator(context.Id, () => new Dictionary<string, string>
        {
            ["directory"] = context.Directory,
            ["setting"] = context.Configuration["setting"] ?? "",
        }));
        services.AddSingleton<IMessageHandler<RunStarted>>(new RunRecorder(context.Configuration["markerDirectory"]));
    }
}

/// <summary>Writes a file per run, so a test sees that the bus reached this plugin.</summary>
public sealed class RunRecorder(string? markerDirectory) : IMessageHandler<RunStarted>
{
    public void Handle(RunStarted message)
    {
        if (markerDirectory is not null)
        {
            File.WriteAllText(Path.Combine(markerDirectory, $"fixture.good-{message.RunId}.txt"), message.Name);
        }
    }
}
