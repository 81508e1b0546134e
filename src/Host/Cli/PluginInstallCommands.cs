using System.CommandLine;
using System.Diagnostics;
using Conduit.Host.Plugins;
using Conduit.Host.Plugins.Install;
using NuGet.Protocol.Core.Types;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary><c>conduit plugins install|update|remove|search</c>: plugins as NuGet packages, from the user's feeds and <c>--source</c>.</summary>
internal static class PluginInstallCommands
{
    /// <summary>The tag every Conduit plugin package carries (besides its ConduitPlugin package type).</summary>
    public const string Tag = "conduit-plugin";

    public static IEnumerable<Command> Create(GlobalOptions global, CliConsole console) =>
        [Install(global, console), Update(global, console), Remove(global, console), Search(console)];

    private static Option<string[]> Sources() => new("--source", "-s")
    {
        Description = "A NuGet feed (folder or URL) to look in before those of your NuGet configuration; repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<bool> Prerelease() => new("--prerelease") { Description = "Consider pre-release versions." };

    private static Command Install(GlobalOptions global, CliConsole console)
    {
        var names = new Argument<string[]>("id") { Description = "Plugin ids (torchsharp) or package ids, each optionally @VERSION.", Arity = ArgumentArity.OneOrMore };
        var sources = Sources();
        var prerelease = Prerelease();
        var command = new Command("install", $"Install plugins and their dependencies from NuGet feeds into the plugin folder (--plugins DIR, default {PluginDiscovery.UserFolder}).") { names, sources, prerelease };
        command.SetAction(async (parse, cancel) =>
        {
            var requests = parse.GetValue(names)!.Select(PluginPackageRequest.Parse).ToList();
            using PluginFeeds feeds = PluginFeeds.Load(parse.GetValue(sources) ?? [], Environment.CurrentDirectory);
            var installer = new PluginInstaller(TargetFolder(parse, global), feeds);
            foreach (PluginPackageRequest request in requests)
            {
                var watch = Stopwatch.StartNew();
                InstalledPlugin installed = await installer.InstallAsync(request, parse.GetValue(prerelease), cancel).ConfigureAwait(false);
                console.Output.WriteLine($"installed {installed.Id} {installed.Package.Version} ({installed.Package.Id} from {installed.Source}, {installed.Dependencies} dependencies) in {installed.Folder} ({watch.Elapsed.TotalSeconds:F1} s)");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Update(GlobalOptions global, CliConsole console)
    {
        var ids = new Argument<string[]>("id") { Description = "Plugin ids to update; all installed from feeds when none is given.", Arity = ArgumentArity.ZeroOrMore };
        var sources = Sources();
        var prerelease = Prerelease();
        var command = new Command("update", "Update installed plugins to the newest version on the feeds.") { ids, sources, prerelease };
        command.SetAction(async (parse, cancel) =>
        {
            using PluginFeeds feeds = PluginFeeds.Load(parse.GetValue(sources) ?? [], Environment.CurrentDirectory);
            var installer = new PluginInstaller(TargetFolder(parse, global), feeds);
            string[] wanted = parse.GetValue(ids) is { Length: > 0 } given ? given : [.. installer.InstalledIds()];
            foreach (string id in wanted)
            {
                string before = PluginLock.ReadOrEmpty(installer.LockPath).Plugins.GetValueOrDefault(id)?.Package?.Version ?? "?";
                InstalledPlugin? updated = await installer.UpdateAsync(id, parse.GetValue(prerelease), cancel).ConfigureAwait(false);
                console.Output.WriteLine(updated is null ? $"{id} is up to date ({before})" : $"updated {id} {before} -> {updated.Package.Version} ({updated.Source})");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(GlobalOptions global, CliConsole console)
    {
        var ids = new Argument<string[]>("id") { Description = "Plugin ids to remove.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("remove", "Remove installed plugins from the plugin folder.") { ids };
        command.SetAction(parse =>
        {
            var installer = new PluginInstaller(TargetFolder(parse, global), PluginFeeds.None);
            foreach (string id in parse.GetValue(ids)!)
            {
                installer.Remove(id);
                console.Output.WriteLine($"removed {id} from {installer.Folder}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Search(CliConsole console)
    {
        var query = new Argument<string>("query") { Description = "Words to search for; empty for every plugin.", Arity = ArgumentArity.ZeroOrOne };
        var sources = Sources();
        var prerelease = Prerelease();
        var json = GlobalOptions.Json();
        var command = new Command("search", $"Find plugin packages (tagged {Tag}) on the feeds.") { query, sources, prerelease, json };
        command.SetAction(async (parse, cancel) =>
        {
            using PluginFeeds feeds = PluginFeeds.Load(parse.GetValue(sources) ?? [], Environment.CurrentDirectory);
            var found = new List<PluginSearchResult>();
            foreach (SourceRepository feed in feeds.Repositories)
            {
                try
                {
                    PackageSearchResource search = await feed.RequireAsync<PackageSearchResource>(cancel).ConfigureAwait(false);
                    var page = await search.SearchAsync(parse.GetValue(query) ?? "", new SearchFilter(parse.GetValue(prerelease)), 0, 100, PluginFeeds.Log, cancel).ConfigureAwait(false);
                    found.AddRange(page.Where(p => (p.Tags ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries).Contains(Tag, StringComparer.OrdinalIgnoreCase))
                        .Select(p => PluginSearchResult.From(p, feed)));
                }
                catch (Exception e) when (e is NuGet.Protocol.Core.Types.FatalProtocolException or PluginInstallException)
                {
                    // A feed without a search service (a mirror) still serves installs: say so and search the others.
                    console.Error.WriteLine($"conduit: note: {feed.PackageSource.Source} cannot be searched: {e.Message}");
                }
            }
            var rows = found.DistinctBy(r => r.Package, StringComparer.OrdinalIgnoreCase).OrderBy(r => r.Plugin, StringComparer.Ordinal).ToList();
            if (parse.GetValue(json))
            {
                console.WriteJson(rows);
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Plugin", "Package", "Version", "Feed", "Description");
            rows.ForEach(r => table.AddRow(Markup.Escape(r.Plugin), Markup.Escape(r.Package), r.Version, Markup.Escape(r.Feed), Markup.Escape(r.Description)));
            console.Ansi.Write(table);
            console.Ansi.MarkupLine($"{rows.Count} plugin package(s). Install one with: conduit plugins install ID");
            return ExitCodes.Success;
        });
        return command;
    }

    // The first --plugins folder, else the user's plugin folder.
    private static string TargetFolder(ParseResult parse, GlobalOptions global) =>
        parse.GetValue(global.Plugins) is { Length: > 0 } folders ? folders[0] : PluginDiscovery.UserFolder;
}
