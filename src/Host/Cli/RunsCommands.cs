using System.CommandLine;
using System.Globalization;
using Conduit.Tracking.Store;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary><c>conduit runs list|show|compare|plot</c>: the experiment store the sqlite logger writes.</summary>
internal static class RunsCommands
{
    /// <summary>The store used when neither <c>--store</c> nor <c>CONDUIT_STORE</c> says: the default root's file.</summary>
    public const string DefaultStore = "runs/conduit.db";

    public static Command Create(CliConsole console)
    {
        var runs = new Command("runs", "List, show, compare and plot the runs recorded in the experiment store (the sqlite logger's file).");
        runs.Subcommands.Add(List(console));
        runs.Subcommands.Add(Show(console));
        runs.Subcommands.Add(Compare(console));
        runs.Subcommands.Add(Plot(console));
        return runs;
    }

    private static Option<string?> StoreOption() => new("--store") { Description = $"The store file (default: $CONDUIT_STORE, else {DefaultStore})." };

    private static RunStore OpenStore(ParseResult parse, Option<string?> option)
    {
        string path = parse.GetValue(option) ?? Environment.GetEnvironmentVariable("CONDUIT_STORE") ?? DefaultStore;
        try
        {
            return RunStore.OpenExisting(path);
        }
        catch (FileNotFoundException e)
        {
            throw new CommandException($"--store: {e.Message}", ExitCodes.Usage);
        }
    }

    private static StoredRun Find(RunStore store, string id)
    {
        try
        {
            return store.Find(id);
        }
        catch (KeyNotFoundException e)
        {
            throw new CommandException(e.Message, ExitCodes.Usage);
        }
    }

    private static Command List(CliConsole console)
    {
        var store = StoreOption();
        var json = GlobalOptions.Json();
        var list = new Command("list", "List the runs, newest first.") { store, json };
        list.SetAction(parse =>
        {
            using RunStore runs = OpenStore(parse, store);
            var rows = runs.Runs().Select(r => new { r.Id, r.Name, r.Version, r.Status, r.StartedAt, r.EndedAt, Metrics = runs.LastMetrics(r.Id) }).ToList();
            if (parse.GetValue(json))
            {
                console.WriteJson(rows);
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Run", "Name", "Version", "Status", "Started", "Duration", "val_loss", "val_acc");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.Id), Markup.Escape(r.Name), r.Version.ToString(CultureInfo.InvariantCulture), r.Status,
                    r.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    r.EndedAt is { } end ? (end - r.StartedAt).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "-",
                    Value(r.Metrics, "val_loss"), Value(r.Metrics, "val_acc"));
            }
            console.Ansi.Write(table);
            console.Ansi.MarkupLine(Markup.Escape($"{rows.Count} runs in {runs.Path}"));
            return ExitCodes.Success;
        });
        return list;
    }

    private static Command Show(CliConsole console)
    {
        var store = StoreOption();
        var json = GlobalOptions.Json();
        var id = new Argument<string>("run") { Description = "A run id, a unique prefix of one, or name/version." };
        var show = new Command("show", "Show a run: its status, settings, last metric values, artifacts and tags.") { id, store, json };
        show.SetAction(parse =>
        {
            using RunStore runs = OpenStore(parse, store);
            StoredRun run = Find(runs, parse.GetValue(id)!);
            var report = new { Run = run, Params = runs.Params(run.Id), Metrics = runs.LastMetrics(run.Id), Artifacts = runs.Artifacts(run.Id).Select(a => new { a.Kind, a.Path }), Tags = runs.Tags(run.Id) };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
                return ExitCodes.Success;
            }
            console.Ansi.MarkupLine(Markup.Escape($"{run.Id}: {run.Name} version {run.Version}, {run.Status}, started {run.StartedAt:u} on {run.Host}{(run.GitCommit is null ? "" : $", commit {run.GitCommit[..Math.Min(12, run.GitCommit.Length)]}")}"));
            console.Ansi.Write(Pairs("Metric (last)", report.Metrics.Select(m => (m.Key, Format(m.Value)))));
            console.Ansi.Write(Pairs("Setting", report.Params.Select(p => (p.Key, p.Value))));
            if (report.Tags.Count > 0)
            {
                console.Ansi.Write(Pairs("Tag", report.Tags.Select(t => (t.Key, t.Value))));
            }
            foreach (var artifact in runs.Artifacts(run.Id))
            {
                console.Ansi.MarkupLine(Markup.Escape($"{artifact.Kind}: {artifact.Path}"));
            }
            return ExitCodes.Success;
        });
        return show;
    }

    private static Command Compare(CliConsole console)
    {
        var store = StoreOption();
        var json = GlobalOptions.Json();
        var ids = new Argument<string[]>("runs") { Description = "Two or more runs.", Arity = new ArgumentArity(2, 64) };
        var compare = new Command("compare", "Compare runs side by side: the settings that differ and every metric's last value.") { ids, store, json };
        compare.SetAction(parse =>
        {
            using RunStore runs = OpenStore(parse, store);
            StoredRun[] chosen = [.. parse.GetValue(ids)!.Select(i => Find(runs, i))];
            var parameters = chosen.Select(r => runs.Params(r.Id)).ToArray();
            var metrics = chosen.Select(r => runs.LastMetrics(r.Id)).ToArray();
            string[] differing = [.. parameters.SelectMany(p => p.Keys).Distinct().Order(StringComparer.Ordinal)
                .Where(k => parameters.Select(p => p.GetValueOrDefault(k)).Distinct().Count() > 1)];
            string[] metricNames = [.. metrics.SelectMany(m => m.Keys).Distinct().Order(StringComparer.Ordinal)];
            if (parse.GetValue(json))
            {
                console.WriteJson(chosen.Select((r, i) => new { r.Id, r.Name, r.Version, Params = differing.ToDictionary(k => k, k => parameters[i].GetValueOrDefault(k)), Metrics = metrics[i] }));
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("");
            foreach (StoredRun run in chosen)
            {
                table.AddColumn(Markup.Escape($"{run.Name}/{run.Version}"));
            }
            foreach (string key in differing)
            {
                table.AddRow([Markup.Escape(key), .. parameters.Select(p => Markup.Escape(p.GetValueOrDefault(key) ?? "-"))]);
            }
            foreach (string name in metricNames)
            {
                table.AddRow([Markup.Escape(name), .. metrics.Select(m => Value(m, name))]);
            }
            console.Ansi.Write(table);
            return ExitCodes.Success;
        });
        return compare;
    }

    private static Command Plot(CliConsole console)
    {
        var store = StoreOption();
        var ids = new Argument<string[]>("runs") { Description = "One or more runs.", Arity = ArgumentArity.OneOrMore };
        var metric = new Option<string>("--metric") { Description = "The metric to plot, such as val_loss.", DefaultValueFactory = _ => "val_loss" };
        var output = new Option<FileInfo>("--out") { Description = "The image to write: .png or .svg.", Required = true };
        var width = new Option<int>("--width") { Description = "Width in pixels.", DefaultValueFactory = _ => 900 };
        var height = new Option<int>("--height") { Description = "Height in pixels.", DefaultValueFactory = _ => 540 };
        var plot = new Command("plot", "Plot a metric of one or more runs against the step, as a PNG or SVG image.") { ids, store, metric, output, width, height };
        plot.SetAction(parse =>
        {
            using RunStore runs = OpenStore(parse, store);
            FileInfo file = parse.GetValue(output)!;
            string extension = file.Extension.ToLowerInvariant();
            if (extension is not (".png" or ".svg"))
            {
                throw new CommandException($"--out: '{file.Name}' is not allowed; expected a file ending in .png or .svg", ExitCodes.Usage);
            }
            string name = parse.GetValue(metric)!;
            var series = new List<(string Label, IReadOnlyList<(long Step, int Epoch, double Value)> Points)>();
            foreach (string id in parse.GetValue(ids)!)
            {
                StoredRun run = Find(runs, id);
                var points = runs.Metric(run.Id, name);
                if (points.Count == 0)
                {
                    throw new CommandException($"--metric: run {run.Id} has no '{name}'; expected one of {string.Join(", ", runs.MetricNames(run.Id))}", ExitCodes.Usage);
                }
                series.Add(($"{run.Name}/{run.Version}", points));
            }
            MetricPlot.Save(file.FullName, name, series, parse.GetValue(width), parse.GetValue(height));
            console.Ansi.MarkupLine(Markup.Escape($"wrote {file.FullName}"));
            return ExitCodes.Success;
        });
        return plot;
    }

    private static Table Pairs(string title, IEnumerable<(string Key, string Value)> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns(title, "Value");
        foreach (var (key, value) in rows)
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        }
        return table;
    }

    private static string Value(IReadOnlyDictionary<string, double> metrics, string name) => metrics.TryGetValue(name, out double v) ? Format(v) : "-";

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
