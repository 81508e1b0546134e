using System.CommandLine;
using Conduit.Host.Plugins;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary><c>conduit plugins list|inspect|disable|enable|lock</c>, and install|update|remove|search (<see cref="PluginInstallCommands"/>).</summary>
internal static class PluginsCommands
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var plugins = new Command("plugins", "List, inspect, disable, enable and lock plugins; install, update, remove and search them on NuGet feeds.");
        plugins.Subcommands.Add(List(global, console));
        plugins.Subcommands.Add(Inspect(global, console));
        plugins.Subcommands.Add(SetEnabled(global, console, enable: false));
        plugins.Subcommands.Add(SetEnabled(global, console, enable: true));
        plugins.Subcommands.Add(Lock(global, console));
        foreach (Command command in PluginInstallCommands.Create(global, console))
        {
            plugins.Subcommands.Add(command);
        }
        return plugins;
    }

    private static Command List(GlobalOptions global, CliConsole console)
    {
        var json = GlobalOptions.Json();
        var list = new Command("list", "List every plugin folder with its id, version, kind, status, reason and load time.") { json };
        list.SetHostAction(global, (parse, host, _) =>
        {
            var rows = host.Plugins.Records.Select(PluginSummaryReport.From).ToList();
            if (parse.GetValue(json))
            {
                console.WriteJson(rows);
                return Task.FromResult(ExitCodes.Success);
            }
            if (rows.Count == 0)
            {
                console.Ansi.MarkupLine("[yellow]No plugins found.[/] Give a folder with --plugins, or build them: dotnet build Host.sln");
                return Task.FromResult(ExitCodes.Success);
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("Id", "Version", "Kind", "Status", "Reason", "Load ms");
            table.Columns[5].RightAligned();
            foreach (var row in rows)
            {
                table.AddRow(
                    Markup.Escape(row.Id), row.Version ?? "-", row.Kind ?? "-", StatusMarkup(row.Status),
                    Markup.Escape(row.Reason ?? ""), row.LoadMs.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
            }
            console.Ansi.Write(table);
            int loaded = rows.Count(r => r.Status == PluginStatus.Loaded);
            console.Ansi.MarkupLine($"{loaded} of {rows.Count} plugins loaded.");
            return Task.FromResult(ExitCodes.Success);
        });
        return list;
    }

    private static Command Inspect(GlobalOptions global, CliConsole console)
    {
        var json = GlobalOptions.Json();
        var id = new Argument<string>("id") { Description = "The plugin's id (see 'conduit plugins list')." };
        var inspect = new Command("inspect", "Show a plugin's manifest, assemblies, registered services and bus subscriptions.") { id, json };
        inspect.SetHostAction(global, (parse, host, _) =>
        {
            string wanted = parse.GetValue(id)!;
            PluginRecord record = host.Plugins.Find(wanted) ?? throw NotFound(wanted, host);
            var report = PluginInspectionReport.From(record, host);
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
                return Task.FromResult(ExitCodes.Success);
            }
            WriteInspection(console.Ansi, report);
            return Task.FromResult(ExitCodes.Success);
        });
        return inspect;
    }

    private static Command SetEnabled(GlobalOptions global, CliConsole console, bool enable)
    {
        var id = new Argument<string>("id") { Description = "The plugin's id." };
        var command = new Command(enable ? "enable" : "disable",
            enable ? "Enable a disabled plugin (removes its plugin.disabled file)." : "Disable a plugin: it stays in its folder but is not loaded.") { id };
        command.SetAction(parse =>
        {
            string wanted = parse.GetValue(id)!;
            var options = global.ToHostOptions(parse);
            var folders = PluginDiscovery.FindPluginFolders(options.Plugins.Roots)
                .Where(f => TryReadId(f) == wanted)
                .ToList();
            if (folders.Count == 0)
            {
                throw new CommandException($"no plugin with id '{wanted}' under {string.Join(", ", options.Plugins.Roots)}");
            }
            foreach (string folder in folders)
            {
                string marker = Path.Combine(folder, PluginManager.DisabledMarker);
                if (enable)
                {
                    File.Delete(marker);
                }
                else
                {
                    File.WriteAllText(marker, $"Disabled by 'conduit plugins disable' on {DateTimeOffset.UtcNow:O}.\n");
                }
                console.Output.WriteLine($"{(enable ? "enabled" : "disabled")} {wanted} in {folder}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Lock(GlobalOptions global, CliConsole console)
    {
        var command = new Command("lock", $"Write the SHA-256 of every file of every plugin to {PluginLock.FileName} (see --lock-file); with --locked, only plugins that match it load.");
        command.SetAction(parse =>
        {
            var options = global.ToHostOptions(parse, readLock: false);
            string path = parse.GetValue(global.LockFile)!;
            PluginLock written = PluginLock.Write(path, options.Plugins.Roots);
            console.Output.WriteLine($"locked {written.Plugins.Count} plugin(s), {written.Plugins.Values.Sum(p => p.Files.Count)} files, in {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string? TryReadId(string folder)
    {
        try
        {
            return PluginManifestReader.Read(Path.Combine(folder, PluginManifest.FileName)).Id;
        }
        catch (Exception e) when (e is PluginManifestException or IOException)
        {
            return null;
        }
    }

    private static CommandException NotFound(string id, ConduitHost host) =>
        new($"no plugin with id '{id}'; known: {(host.Plugins.Records.Count == 0 ? "none" : string.Join(", ", host.Plugins.Records.Select(r => r.Id).Distinct()))}");

    internal static string StatusMarkup(PluginStatus status) => status switch
    {
        PluginStatus.Refused => "[red]Refused[/]",
        PluginStatus.Loaded => "[green]Loaded[/]",
        PluginStatus.Disabled => "[grey]Disabled[/]",
        PluginStatus.Incompatible => "[yellow]Incompatible[/]",
        _ => "[red]" + status + "[/]",
    };

    private static void WriteInspection(IAnsiConsole ansi, PluginInspectionReport report)
    {
        var p = report.Plugin;
        var facts = new Grid().AddColumn().AddColumn();
        void Fact(string name, string? value) => facts.AddRow($"[bold]{name}[/]", Markup.Escape(value ?? "-"));
        Fact("Id", p.Id);
        Fact("Version", p.Version);
        Fact("Kind", p.Kind);
        facts.AddRow("[bold]Status[/]", StatusMarkup(p.Status) + (p.Reason is null ? "" : " " + Markup.Escape(p.Reason)));
        Fact("Description", p.Description);
        Fact("Folder", p.Directory);
        Fact("Entry assembly", report.EntryAssembly);
        Fact("Built against", report.Abstractions is null ? null : "Conduit.Abstractions " + report.Abstractions);
        Fact("Requires", report.Requires.Count == 0 ? "nothing" : string.Join(", ", report.Requires));
        Fact("Load time", $"{p.LoadMs:F1} ms");
        ansi.Write(facts);

        var assemblies = new Table().Title("Assemblies").AddColumns("File", "Version", "Loaded");
        foreach (var a in report.Assemblies)
        {
            assemblies.AddRow(Markup.Escape(a.File), a.Version ?? "-", a.Loaded ? "yes" : "no");
        }
        ansi.Write(assemblies);

        var services = new Table().Title("Services").AddColumns("Service", "Implementation", "Lifetime");
        foreach (var s in report.Services)
        {
            services.AddRow(Markup.Escape(s.Service), Markup.Escape(s.Implementation), s.Lifetime);
        }
        ansi.Write(services);

        var subscriptions = new Table().Title("Bus subscriptions").AddColumns("Message", "Handler", "Mode", "Delivered", "Faulted");
        foreach (var s in report.Subscriptions)
        {
            subscriptions.AddRow(Markup.Escape(s.Message), Markup.Escape(s.Handler), s.Mode.ToString(), s.Delivered?.ToString() ?? "-", s.Faulted?.ToString() ?? "-");
        }
        ansi.Write(subscriptions);
    }
}
