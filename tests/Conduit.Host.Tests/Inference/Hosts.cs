using Conduit.Frameworks;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Inference;

/// <summary>A host on the shipped plugins, and its frameworks by name.</summary>
internal static class Hosts
{
    public static ConduitHost Start()
    {
        var options = new ConduitHostOptions();
        options.Plugins.Roots.Add(RepoPaths.Plugins);
        options.Plugins.Disabled.Add("console");
        return ConduitHost.Start(options);
    }
}

/// <summary>The frameworks the plugins registered.</summary>
internal static class Frameworks
{
    public static ITrainingFramework Training(ConduitHost host, string name) =>
        host.Plugins.ResolveAll<ITrainingFramework>(host.Services).Single(f => f.Name == name);

    public static IInferenceFramework Inference(ConduitHost host, string name) =>
        host.Plugins.ResolveAll<IInferenceFramework>(host.Services).Single(f => f.Name == name);
}
