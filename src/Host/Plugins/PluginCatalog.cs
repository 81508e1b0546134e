using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Plugins;

/// <summary>Every plugin folder the host looked at, with its status, in a stable order.</summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<AssemblyLoadContext, PluginRecord> _byContext;

    internal PluginCatalog(IEnumerable<PluginRecord> records)
    {
        Records = [.. records
            .OrderBy(KindOrder)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ThenBy(r => r.Directory, StringComparer.Ordinal)];
        _byContext = Records.Where(r => r.LoadContext is not null && r.Status == PluginStatus.Loaded).ToDictionary(r => r.LoadContext!);
    }

    // Known kinds in PluginKinds order, then unknown kinds, then folders whose manifest could not be read.
    private static int KindOrder(PluginRecord record)
    {
        if (record.Manifest is null)
        {
            return int.MaxValue;
        }
        for (int i = 0; i < PluginKinds.All.Count; i++)
        {
            if (PluginKinds.All[i] == record.Manifest.Kind)
            {
                return i;
            }
        }
        return int.MaxValue - 1;
    }

    /// <summary>All records.</summary>
    public IReadOnlyList<PluginRecord> Records { get; }

    /// <summary>The loaded plugins.</summary>
    public IEnumerable<PluginRecord> Loaded => Records.Where(r => r.Status == PluginStatus.Loaded);

    /// <summary>The loaded plugin with <paramref name="id"/>, else the first record with it, else null.</summary>
    public PluginRecord? Find(string id) =>
        Records.FirstOrDefault(r => r.Id == id && r.Status == PluginStatus.Loaded) ?? Records.FirstOrDefault(r => r.Id == id);

    /// <summary>The plugin that owns <paramref name="type"/>, or null for host and framework types.</summary>
    public PluginRecord? FindOwner(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        AssemblyLoadContext? context = AssemblyLoadContext.GetLoadContext(type.Assembly);
        return context is not null && _byContext.TryGetValue(context, out PluginRecord? record) ? record : null;
    }

    /// <summary>
    /// Every registered <typeparamref name="T"/>, with a plugin whose service throws on creation isolated: it is
    /// marked malfunctioned, and the others are still returned.
    /// </summary>
    public IReadOnlyList<T> ResolveAll<T>(IServiceProvider services) where T : class
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            return [.. services.GetServices<T>()];
        }
        catch (Exception first) when (first is not OutOfMemoryException)
        {
            // One implementation threw: create them one by one to find it and keep the rest.
            var result = new List<T>();
            foreach (PluginRecord record in Loaded.ToList())
            {
                foreach (ServiceDescriptor descriptor in record.Services.Where(d => d.ServiceType == typeof(T) && !d.IsKeyedService))
                {
                    try
                    {
                        result.Add((T)(descriptor.ImplementationInstance
                            ?? descriptor.ImplementationFactory?.Invoke(services)
                            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!)));
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        Exception cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                        record.Fail(PluginStatus.Malfunctioned, $"creating its {typeof(T).Name} threw {cause.GetType().Name}: {cause.Message}");
                        break;
                    }
                }
            }
            return result;
        }
    }
}
