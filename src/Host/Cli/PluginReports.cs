using System.Reflection;
using Conduit.Host.Plugins;
using Conduit.Host.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Cli;

/// <summary>A row of <c>conduit plugins list</c>.</summary>
public sealed record PluginSummaryReport(string Id, string? Version, string? Kind, PluginStatus Status, string? Reason, double LoadMs, string Directory, string? Description)
{
    /// <summary>Summarises <paramref name="record"/>.</summary>
    public static PluginSummaryReport From(PluginRecord record) => new(
        record.Id,
        record.Manifest?.Version.ToString(3),
        record.Manifest?.Kind,
        record.Status,
        record.Reason,
        Math.Round(record.LoadTime.TotalMilliseconds, 1),
        record.Directory,
        record.Manifest?.Description);
}

/// <summary>One service a plugin registered.</summary>
public sealed record ServiceReport(string Service, string Implementation, string Lifetime);

/// <summary>One bus subscription of a plugin, with its counters when it is live.</summary>
public sealed record SubscriptionReport(string Message, string Handler, SubscriptionMode Mode, long? Delivered, long? Faulted);

/// <summary>A managed assembly in a plugin's folder.</summary>
public sealed record AssemblyReport(string File, string? Name, string? Version, bool Loaded);

/// <summary>What <c>conduit plugins inspect</c> shows.</summary>
public sealed record PluginInspectionReport(
    PluginSummaryReport Plugin,
    string? EntryAssembly,
    string? Abstractions,
    IReadOnlyList<string> Requires,
    IReadOnlyList<AssemblyReport> Assemblies,
    IReadOnlyList<ServiceReport> Services,
    IReadOnlyList<SubscriptionReport> Subscriptions)
{
    /// <summary>Inspects <paramref name="record"/> in <paramref name="host"/>.</summary>
    public static PluginInspectionReport From(PluginRecord record, ConduitHost host)
    {
        var loaded = record.LoadContext?.Assemblies.Select(a => a.GetName().Name).ToHashSet(StringComparer.Ordinal) ?? [];
        var assemblies = Directory.EnumerateFiles(record.Directory, "*.dll", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                AssemblyName? name = TryGetAssemblyName(path);
                return new AssemblyReport(Path.GetRelativePath(record.Directory, path), name?.Name, name?.Version?.ToString(), name?.Name is { } n && loaded.Contains(n));
            })
            .Where(a => a.Name is not null)
            .ToList();

        var services = record.Services
            .Where(d => !RegisteredHandlers.IsHandler(d))
            .Select(d => new ServiceReport(TypeName(d.ServiceType), Implementation(d), d.Lifetime.ToString()))
            .ToList();

        var subscriptions = host.Bus.GetSnapshot()
            .SelectMany(t => t.Subscriptions
                .Where(s => host.Plugins.FindOwner(s.HandlerType) == record)
                .Select(s => new SubscriptionReport(TypeName(t.MessageType), TypeName(s.HandlerType), s.Mode, s.Delivered, s.Faulted)))
            .ToList();

        return new PluginInspectionReport(
            PluginSummaryReport.From(record),
            record.Manifest?.EntryAssembly,
            record.Manifest?.Abstractions.ToString(3),
            record.Manifest?.Requires ?? [],
            assemblies,
            services,
            subscriptions);
    }

    private static AssemblyName? TryGetAssemblyName(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or IOException)
        {
            return null;
        }
    }

    private static string Implementation(ServiceDescriptor d) =>
        d.ImplementationType is { } type ? TypeName(type)
        : d.ImplementationInstance is { } instance ? TypeName(instance.GetType()) + " (instance)"
        : "factory";

    internal static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }
        string name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }
}
