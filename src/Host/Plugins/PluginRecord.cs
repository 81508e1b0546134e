using System.Runtime.Loader;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Plugins;

/// <summary>One plugin folder and what became of it: manifest, status and reason, and what it registered.</summary>
public sealed class PluginRecord
{
    internal PluginRecord(string id, string directory, PluginManifest? manifest)
    {
        Id = id;
        Directory = directory;
        Manifest = manifest;
    }

    /// <summary>The plugin's id (the folder name when the manifest could not be read).</summary>
    public string Id { get; }

    /// <summary>The plugin's folder.</summary>
    public string Directory { get; }

    /// <summary>The manifest, when it could be read.</summary>
    public PluginManifest? Manifest { get; }

    /// <summary>The plugin's status.</summary>
    public PluginStatus Status { get; private set; } = PluginStatus.Loaded;

    /// <summary>Why the plugin is not loaded, in one sentence; <see langword="null"/> when it is.</summary>
    public string? Reason { get; private set; }

    /// <summary>How long reading, loading and registering took.</summary>
    public TimeSpan LoadTime { get; internal set; }

    /// <summary>The plugin's own load context, when its assembly was loaded.</summary>
    public AssemblyLoadContext? LoadContext { get; internal set; }

    /// <summary>The services the plugin registered.</summary>
    public IReadOnlyList<ServiceDescriptor> Services { get; internal set; } = [];

    /// <summary>The assemblies loaded into the plugin's own context (shared contract assemblies are not among them).</summary>
    public IReadOnlyList<string> Assemblies =>
        LoadContext is null ? [] : [.. LoadContext.Assemblies.Select(a => a.GetName()).Select(n => $"{n.Name} {n.Version}").Order(StringComparer.Ordinal)];

    internal void Fail(PluginStatus status, string reason)
    {
        Status = status;
        Reason = reason;
        Services = [];
    }
}
