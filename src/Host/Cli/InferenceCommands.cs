using System.CommandLine;
using System.Globalization;
using Conduit.Frameworks;
using Conduit.Host.Inference;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary>
/// <c>conduit export</c> and <c>conduit models inspect</c> (and <see cref="PredictCommand"/>'s helpers): framework-neutral
/// commands on model files, an ONNX file and a checkpoint alike.
/// </summary>
internal static class InferenceCommands
{
    public static Command Export(GlobalOptions global, CliConsole console)
    {
        var checkpoint = new Argument<FileInfo>("checkpoint") { Description = "The checkpoint (.ckpt) to export, e.g. samples/runs/digits/checkpoints/last.ckpt." };
        var format = new Option<string>("--format") { Description = "The format to write; the checkpoint's framework's first by default (onnx for torchsharp)." };
        var output = new Option<FileInfo>("--out", "-o") { Description = "The file to write, e.g. model.onnx.", Required = true };
        var json = GlobalOptions.Json();
        var export = new Command("export", "Export a checkpoint's model (ONNX: standard operators, dynamic batch axis, preprocessing and labels inside), checked against the original.")
        {
            checkpoint, format, output, json,
        };
        export.SetAction(async (parse, cancellationToken) =>
        {
            FileInfo source = Existing(parse.GetValue(checkpoint)!, "checkpoint");
            await using ConduitHost host = ConduitHost.Start(global.ToHostOptions(parse));
            ExportReport report = Run(() => ModelExport.Export(host, source.FullName, parse.GetValue(format), parse.GetValue(output)!.FullName));
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Ansi.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"{parse.GetValue(output)}: {report.Format}, {report.Bytes / 1024.0:F1} KiB; checked against the checkpoint: {report.Check}")));
            }
            return ExitCodes.Success;
        });
        return export;
    }

    public static Command Models(GlobalOptions global, CliConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "An .onnx file or a checkpoint." };
        var json = GlobalOptions.Json();
        var inspect = new Command("inspect", "Show a model's inputs, outputs, opset, metadata and parameter count.") { file, json };
        inspect.SetAction(async (parse, cancellationToken) =>
        {
            FileInfo path = Existing(parse.GetValue(file)!, "file");
            await using ConduitHost host = ConduitHost.Start(global.ToHostOptions(parse));
            using IInferenceModel model = Run(() => ModelFiles.Open(host, path.FullName, new InferenceOptions()));
            ModelDescription description = model.Description;
            if (parse.GetValue(json))
            {
                console.WriteJson(new { File = path.FullName, description.Format, description.Opset, description.Producer, description.Parameters, description.Device, description.Inputs, description.Outputs, ClassNames = model.ClassNames, description.Metadata });
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("", "");
            table.ShowHeaders = false;
            table.AddRow("File", Markup.Escape(parse.GetValue(file)!.ToString()));
            table.AddRow("Format", Markup.Escape(description.Format + (description.Opset is { } opset ? $", opset {opset}" : "")));
            table.AddRow("Producer", Markup.Escape(description.Producer ?? "-"));
            table.AddRow("Parameters", description.Parameters.ToString("N0", CultureInfo.InvariantCulture));
            foreach (TensorDescription input in description.Inputs)
            {
                table.AddRow("Input", Markup.Escape(input.ToString()));
            }
            foreach (TensorDescription output in description.Outputs)
            {
                table.AddRow("Output", Markup.Escape(output.ToString()));
            }
            if (model.ClassNames.Count > 0)
            {
                table.AddRow("Classes", Markup.Escape(string.Join(", ", model.ClassNames)));
            }
            foreach (var (key, value) in description.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape(key), Markup.Escape(value.Length > 120 ? value[..117] + "..." : value));
            }
            console.Ansi.Write(table);
            return ExitCodes.Success;
        });
        var models = new Command("models", "Inspect model files (ONNX or checkpoints).");
        models.Subcommands.Add(inspect);
        return models;
    }

    public static FileInfo Existing(FileInfo file, string what) =>
        file.Exists ? file : throw new CommandException($"{what}: '{file}' does not exist", ExitCodes.Usage);

    // A model or data problem is the input's fault, said in one line; anything else is a failure of the command.
    public static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or NotSupportedException or ArgumentException)
        {
            throw new CommandException(e.Message);
        }
    }

    public static async Task<T> RunAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new CommandException(e.Message);
        }
    }
}
