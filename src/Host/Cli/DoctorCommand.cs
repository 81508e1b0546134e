using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary><c>conduit doctor</c>: the machine, the accelerators and the plugins, in one report.</summary>
internal static class DoctorCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var json = GlobalOptions.Json();
        var doctor = new Command("doctor", "Report the OS, .NET, cores, memory, accelerators found, and every plugin with its status.") { json };
        doctor.SetHostAction(global, (parse, host, _) =>
        {
            var report = DoctorReport.From(host);
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                Write(console.Ansi, report);
            }
            return Task.FromResult(ExitCodes.Success);
        });
        return doctor;
    }

    private static void Write(IAnsiConsole ansi, DoctorReport report)
    {
        var system = new Grid().AddColumn().AddColumn();
        system.AddRow("[bold]Conduit[/]", $"{Markup.Escape(report.HostVersion)} (contract {Markup.Escape(report.ContractVersion)})");
        system.AddRow("[bold]OS[/]", Markup.Escape($"{report.Os} ({report.RuntimeIdentifier})"));
        system.AddRow("[bold].NET[/]", Markup.Escape(report.Runtime));
        system.AddRow("[bold]CPU[/]", $"{report.Cores} logical cores, {report.Architecture}");
        system.AddRow("[bold]Memory[/]", Gib(report.MemoryBytes));
        ansi.Write(new Panel(system).Header("System").Border(BoxBorder.Rounded));

        var accelerators = new Table().Title("Accelerators").Border(TableBorder.Rounded).AddColumns("Name", "Available", "Devices", "Details");
        foreach (var a in report.Accelerators)
        {
            string devices = a.Devices.Count == 0 ? "-" : string.Join("\n", a.Devices.Select(d =>
                $"{d.Index}: {d.Name}" + (d.TotalMemoryBytes is long total ? $" ({Gib(total)})" : "")));
            string details = a.IsAvailable
                ? string.Join("\n", a.Properties.Select(p => $"{p.Key}: {p.Value}"))
                : a.Reason ?? "";
            accelerators.AddRow(Markup.Escape(a.Name), a.IsAvailable ? "[green]yes[/]" : "[yellow]no[/]", Markup.Escape(devices), Markup.Escape(details));
        }
        ansi.Write(accelerators);

        var plugins = new Table().Title("Plugins").Border(TableBorder.Rounded).AddColumns("Id", "Version", "Kind", "Status", "Reason");
        foreach (var p in report.Plugins)
        {
            plugins.AddRow(Markup.Escape(p.Id), p.Version ?? "-", p.Kind ?? "-", PluginsCommands.StatusMarkup(p.Status), Markup.Escape(p.Reason ?? ""));
        }
        ansi.Write(plugins);

        if (report.Problems.Count == 0)
        {
            ansi.MarkupLine("[green]No problems found.[/]");
        }
        foreach (string problem in report.Problems)
        {
            ansi.MarkupLine($"[yellow]![/] {Markup.Escape(problem)}");
        }
    }

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " GiB";
}
