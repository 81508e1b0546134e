using System.Reflection;
using System.Runtime.Loader;
using Conduit.Plugins;

namespace Conduit.Host.Plugins;

/// <summary>
/// A manifest's <c>requires</c> and <c>hostAssemblies</c>: plugins load after the plugins they require, resolve what
/// their own folder lacks from those plugins' load contexts (so a model plugin's TorchSharp types are the torchsharp
/// plugin's), and take the named assemblies from the host.
/// </summary>
internal static class PluginRequirements
{
    /// <summary>The plugins in an order where each comes after the plugins it requires (cycles keep their found order).</summary>
    public static List<PluginRecord> InLoadOrder(IEnumerable<PluginRecord> records)
    {
        var pending = records.ToList();
        var ordered = new List<PluginRecord>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            PluginRecord? next = pending.FirstOrDefault(r => r.Manifest!.Requires.All(id => placed.Contains(id) || pending.All(p => p.Id != id)));
            next ??= pending[0];
            pending.Remove(next);
            ordered.Add(next);
            placed.Add(next.Id);
        }
        return ordered;
    }

    /// <summary>The loaded plugins <paramref name="record"/> requires, or null after marking it incompatible with the reason.</summary>
    public static IReadOnlyList<PluginRecord>? Resolve(PluginRecord record, IReadOnlyList<PluginRecord> all)
    {
        var found = new List<PluginRecord>();
        foreach (string id in record.Manifest!.Requires)
        {
            PluginRecord? required = all.FirstOrDefault(r => r.Id == id && r.Status == PluginStatus.Loaded && r.LoadContext is not null);
            if (required is null)
            {
                PluginRecord? present = all.FirstOrDefault(r => r.Id == id);
                string why = present is null ? "not found in the plugin folders" : $"{present.Status.ToString().ToLowerInvariant()}: {present.Reason}";
                record.Fail(PluginStatus.Incompatible, $"requires plugin '{id}', which is not loaded ({why})");
                return null;
            }
            found.Add(required);
        }
        return found;
    }

    /// <summary>Makes <paramref name="context"/> resolve what it cannot find itself from <paramref name="requirements"/>' contexts.</summary>
    public static void ResolveFrom(AssemblyLoadContext context, IReadOnlyList<PluginRecord> requirements)
    {
        if (requirements.Count == 0)
        {
            return;
        }
        context.Resolving += (_, name) =>
        {
            foreach (PluginRecord required in requirements)
            {
                try
                {
                    return required.LoadContext!.LoadFromAssemblyName(name);
                }
                catch (FileNotFoundException)
                {
                    // Not that plugin's either; try the next.
                }
            }
            return null;
        };
    }

    /// <summary>Why the host cannot give <paramref name="manifest"/> its host assemblies; null when it can.</summary>
    public static string? MissingHostAssembly(PluginManifest manifest)
    {
        foreach (string name in manifest.HostAssemblies)
        {
            try
            {
                AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(name));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or ArgumentException)
            {
                return $"uses the host's '{name}' (hostAssemblies in {PluginManifest.FileName}), which this host does not have";
            }
        }
        return null;
    }
}
