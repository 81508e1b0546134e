using System.Diagnostics;
using System.Reflection;
using Conduit.Accelerators;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Messaging;
using Conduit.Messaging;
using Conduit.Plugins;
using Conduit.Tracking;
using Conduit.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conduit.Host.Plugins;

/// <summary>
/// Finds plugin folders, checks their manifests, loads each into a load context of its own and lets it register
/// its services. A broken plugin is recorded with its status and reason; it never stops the host.
/// </summary>
public sealed partial class PluginManager(ILogger<PluginManager> logger)
{
    /// <summary>A file whose presence in a plugin folder keeps the plugin disabled.</summary>
    public const string DisabledMarker = "plugin.disabled";

    /// <summary>Loads every plugin under <see cref="PluginLoadOptions.Roots"/> and registers the loaded ones into <paramref name="services"/>.</summary>
    public PluginCatalog Load(PluginLoadOptions options, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var records = new List<PluginRecord>();
        foreach (string folder in PluginDiscovery.FindPluginFolders(options.Roots))
        {
            records.Add(ReadManifest(folder, options));
        }
        SupersedeOlderVersions(records);
        foreach (PluginRecord record in PluginRequirements.InLoadOrder(records.Where(r => r.Status == PluginStatus.Loaded)))
        {
            var watch = Stopwatch.StartNew();
            if (PluginRequirements.Resolve(record, records) is { } requirements)
            {
                LoadAndRegister(record, requirements, options, services);
            }
            record.LoadTime += watch.Elapsed;
            if (record.Status == PluginStatus.Loaded)
            {
                LogLoaded(record.Id, record.Manifest!.Version, record.LoadTime.TotalMilliseconds);
            }
            else
            {
                LogNotLoaded(record.Id, record.Status, record.Reason);
            }
        }
        return new PluginCatalog(records);
    }

    private PluginRecord ReadManifest(string folder, PluginLoadOptions options)
    {
        var watch = Stopwatch.StartNew();
        string manifestPath = Path.Combine(folder, PluginManifest.FileName);
        string folderName = Path.GetFileName(folder);
        PluginRecord record;
        if (!File.Exists(manifestPath))
        {
            record = new PluginRecord(folderName, folder, null);
            record.Fail(PluginStatus.Incompatible, $"no {PluginManifest.FileName} in folder '{folderName}'");
        }
        else
        {
            try
            {
                PluginManifest manifest = PluginManifestReader.Read(manifestPath);
                record = new PluginRecord(manifest.Id, folder, manifest);
                CheckManifest(record, manifest, options);
            }
            catch (PluginManifestException e)
            {
                record = new PluginRecord(folderName, folder, null);
                record.Fail(PluginStatus.Incompatible, e.Message);
            }
            catch (IOException e)
            {
                record = new PluginRecord(folderName, folder, null);
                record.Fail(PluginStatus.Incompatible, $"{manifestPath}: cannot be read: {e.Message}");
            }
        }
        record.LoadTime = watch.Elapsed;
        return record;
    }

    private static void CheckManifest(PluginRecord record, PluginManifest manifest, PluginLoadOptions options)
    {
        if (options.Disabled.Contains(manifest.Id) || File.Exists(Path.Combine(record.Directory, DisabledMarker)))
        {
            record.Fail(PluginStatus.Disabled, "disabled by the user");
        }
        else if (manifest.Terminal && !options.Terminal)
        {
            record.Fail(PluginStatus.Disabled, "talks to a terminal, and this host has none (JSON output, a server or a worker)");
        }
        else if (!PluginKinds.IsKnown(manifest.Kind))
        {
            record.Fail(PluginStatus.Incompatible, $"unknown kind '{manifest.Kind}'; expected one of {string.Join(", ", PluginKinds.All)}");
        }
        else if (!ConduitContract.IsCompatible(manifest.Abstractions, ConduitContract.Version, out string? reason))
        {
            record.Fail(PluginStatus.Incompatible, reason!);
        }
        else if (options.Lock?.Check(manifest.Id, record.Directory) is { } changed)
        {
            record.Fail(PluginStatus.Refused, changed);
        }
    }

    private void SupersedeOlderVersions(List<PluginRecord> records)
    {
        foreach (var group in records.Where(r => r.Manifest is not null && r.Status == PluginStatus.Loaded).GroupBy(r => r.Id).Where(g => g.Count() > 1))
        {
            PluginRecord winner = group.OrderByDescending(r => r.Manifest!.Version).ThenBy(r => r.Directory, StringComparer.Ordinal).First();
            foreach (PluginRecord loser in group.Where(r => r != winner))
            {
                loser.Fail(PluginStatus.Disabled, $"superseded by version {winner.Manifest!.Version} in '{Path.GetFileName(winner.Directory)}'");
                if (loser.Manifest!.Version == winner.Manifest.Version)
                {
                    LogDuplicate(loser.Id, loser.Manifest.Version, loser.Directory, winner.Directory); // a tool's own plugin installed again: nothing to warn of
                }
                else
                {
                    LogSuperseded(loser.Id, loser.Manifest.Version, winner.Manifest.Version, winner.Directory);
                }
            }
        }
    }

    private static void LoadAndRegister(PluginRecord record, IReadOnlyList<PluginRecord> requirements, PluginLoadOptions options, IServiceCollection services)
    {
        PluginManifest manifest = record.Manifest!;
        string entryPath = Path.Combine(record.Directory, manifest.EntryAssembly);
        if (!File.Exists(entryPath))
        {
            record.Fail(PluginStatus.Malfunctioned, $"entry assembly '{manifest.EntryAssembly}' named in {PluginManifest.FileName} is not in the folder");
            return;
        }
        if (!CheckContractReference(record, entryPath))
        {
            return;
        }

        IConduitPlugin plugin;
        try
        {
            if (PluginRequirements.MissingHostAssembly(manifest) is { } missing)
            {
                record.Fail(PluginStatus.Incompatible, missing);
                return;
            }
            var context = new PluginLoadContext(entryPath, manifest.HostAssemblies);
            record.LoadContext = context;
            PluginRequirements.ResolveFrom(context, requirements);
            Assembly assembly = context.LoadFromAssemblyPath(Path.GetFullPath(entryPath));
            Type[] entryTypes = [.. assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IConduitPlugin).IsAssignableFrom(t))];
            if (entryTypes.Length != 1)
            {
                record.Fail(PluginStatus.Incompatible, entryTypes.Length == 0
                    ? $"'{manifest.EntryAssembly}' has no public class implementing IConduitPlugin"
                    : $"'{manifest.EntryAssembly}' has {entryTypes.Length} IConduitPlugin classes ({string.Join(", ", entryTypes.Select(t => t.Name))}); expected one");
                return;
            }
            plugin = (IConduitPlugin)Activator.CreateInstance(entryTypes[0])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            record.Fail(PluginStatus.Malfunctioned, $"its constructor threw {Describe(e.InnerException)}");
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            record.Fail(PluginStatus.Malfunctioned, $"loading '{manifest.EntryAssembly}' failed: {Describe(e)}");
            return;
        }

        // Register into a scratch collection first, so a plugin that throws halfway leaves nothing behind.
        var own = new ServiceCollection();
        try
        {
            var context = new PluginContext(manifest.Id, manifest.Version, record.Directory, options.Configuration.GetSection($"plugins:{manifest.Id}"), HostInfo.Version);
            plugin.ConfigureServices(own, context);
        }
        catch (Exception e)
        {
            record.Fail(PluginStatus.Malfunctioned, $"ConfigureServices threw {Describe(e)}");
            return;
        }
        string? kindProblem = CheckKind(manifest.Kind, own);
        if (kindProblem is not null)
        {
            record.Fail(PluginStatus.Incompatible, kindProblem);
            return;
        }
        record.Services = [.. own];
        foreach (ServiceDescriptor descriptor in own)
        {
            services.Add(descriptor);
        }
    }

    // A plugin may name an older contract in its manifest than it was compiled against; the compiled reference decides.
    private static bool CheckContractReference(PluginRecord record, string entryPath)
    {
        Version? referenced;
        try
        {
            referenced = AssemblyReferences.FindReference(entryPath, typeof(IConduitPlugin).Assembly.GetName().Name!);
        }
        catch (BadImageFormatException)
        {
            record.Fail(PluginStatus.Malfunctioned, $"'{record.Manifest!.EntryAssembly}' is not a .NET assembly");
            return false;
        }
        if (referenced is null)
        {
            record.Fail(PluginStatus.Incompatible, $"'{record.Manifest!.EntryAssembly}' does not reference Conduit.Abstractions, so it cannot implement IConduitPlugin");
            return false;
        }
        if (!ConduitContract.IsCompatible(referenced, ConduitContract.Version, out string? reason))
        {
            record.Fail(PluginStatus.Incompatible, $"its assembly was {reason}");
            return false;
        }
        return true;
    }

    private static string? CheckKind(string kind, ServiceCollection services)
    {
        bool Has<T>() => services.Any(d => d.ServiceType == typeof(T));
        bool HasHandlers() => services.Any(RegisteredHandlers.IsHandler);
        return kind switch
        {
            PluginKinds.Accelerator when !Has<IAccelerator>() => "declares kind 'accelerator' but registered no IAccelerator",
            PluginKinds.DataSource when !Has<IDataSource>() => "declares kind 'datasource' but registered no IDataSource",
            PluginKinds.Framework when !Has<ITrainingFramework>() && !Has<IInferenceFramework>() => "declares kind 'framework' but registered no ITrainingFramework or IInferenceFramework",
            PluginKinds.Logger when !Has<IExperimentLogger>() && !HasHandlers() => "declares kind 'logger' but registered no IExperimentLogger nor message handler",
            PluginKinds.Callback when !Has<ITrainerCallback>() && !HasHandlers() => "declares kind 'callback' but registered no ITrainerCallback nor message handler",
            // A model plugin's contract is its framework's (ITorchArchitecture for torchsharp), which the host does not know.
            PluginKinds.Model when services.Count == 0 => "declares kind 'model' but registered nothing",
            _ => null,
        };
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Plugin {Id} {Version} loaded in {Milliseconds:F1} ms")]
    private partial void LogLoaded(string id, Version version, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plugin {Id} is {Status}: {Reason}")]
    private partial void LogNotLoaded(string id, PluginStatus status, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plugin {Id} {Version} is superseded by version {Winner} in {Folder}")]
    private partial void LogSuperseded(string id, Version version, Version winner, string folder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Plugin {Id} {Version} is in {Folder} and in {Winner}; the latter loads")]
    private partial void LogDuplicate(string id, Version version, string folder, string winner);
}
