using Conduit.Host.Data;
using Conduit.Configuration;
using System.CommandLine;
using System.Globalization;
using System.Text;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Inference;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary>
/// <c>conduit export</c>, <c>conduit models inspect</c> and <c>conduit predict</c>: framework-neutral commands on
/// model files, an ONNX file and a checkpoint alike.
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

    public static Command Predict(GlobalOptions global, CliConsole console)
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "An .onnx file or a checkpoint.", Required = true };
        var data = new Option<FileInfo>("--data", "-d") { Description = "The data file to predict (read with the model's own data settings: label column, features, shape).", Required = true };
        var source = new Option<string?>("--source") { Description = "The data source (csv, parquet, idx, ...); default: the model's, else by the file's extension." };
        var option = new Option<string[]>("--option") { Description = "A data setting, e.g. --option label=target (repeatable; overrides the model's).", AllowMultipleArgumentsPerToken = false };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "The predictions CSV to write (row, label, predicted, one probability per class)." };
        var batch = new Option<int>("--batch-size") { Description = "Examples per inference batch.", DefaultValueFactory = _ => 256 };
        var device = new Option<string>("--device") { Description = "cpu, or cuda[:N] (falls back to the CPU, saying why, where CUDA is not available).", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads; 0 for the framework's default.", DefaultValueFactory = _ => 0 };
        var optimization = new Option<string?>("--optimization-level") { Description = "ONNX Runtime graph optimization: disabled, basic, extended, all (default)." };
        var json = GlobalOptions.Json();
        var predict = new Command("predict", "Predict a data file with a model (ONNX or checkpoint) and write the predictions as CSV; reports accuracy or RMSE on labelled data.")
        {
            model, data, source, option, output, batch, device, threads, optimization, json,
        };
        predict.SetAction(async (parse, cancellationToken) =>
        {
            FileInfo modelFile = Existing(parse.GetValue(model)!, "--model");
            FileInfo dataFile = Existing(parse.GetValue(data)!, "--data");
            int batchSize = parse.GetValue(batch);
            if (batchSize < 1)
            {
                throw new CommandException($"--batch-size: {batchSize} is not allowed; expected 1 or more", ExitCodes.Usage);
            }
            await using ConduitHost host = ConduitHost.Start(global.ToHostOptions(parse));
            var settings = new Dictionary<string, string?>();
            if (parse.GetValue(optimization) is { } level)
            {
                settings["optimization_level"] = level;
            }
            var inference = new InferenceOptions(parse.GetValue(device)!)
            {
                Threads = parse.GetValue(threads),
                Settings = new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            };
            using IInferenceModel loaded = Run(() => ModelFiles.Open(host, modelFile.FullName, inference));
            IDataset dataset = OpenData(host, loaded, dataFile, parse.GetValue(source), parse.GetValue(option) ?? []);
            FileInfo? outFile = parse.GetValue(output);
            PredictionReport report;
            await using (StreamWriter? writer = outFile is null ? null : new StreamWriter(outFile.FullName, append: false, new UTF8Encoding(false)))
            {
                report = await RunAsync(() => Predictor.RunAsync(loaded, dataset, writer, batchSize, cancellationToken)).ConfigureAwait(false);
            }
            (dataset as IDisposable)?.Dispose();
            report = report with { Model = modelFile.FullName, Data = dataFile.FullName, Output = outFile?.FullName ?? "" };
            if (parse.GetValue(json))
            {
                console.WriteJson(new { report.Model, report.Data, report.Output, report.Rows, report.Accuracy, report.Rmse, report.Seconds, report.RowsPerSecond });
            }
            else
            {
                string score = report.Accuracy is { } accuracy ? $", accuracy {accuracy:P2}" : report.Rmse is { } rmse ? $", RMSE {rmse:G5}" : "";
                console.Ansi.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"{report.Rows} rows predicted in {report.Seconds:F2} s ({report.RowsPerSecond:N0} rows/s){score}{(outFile is null ? "" : $"; wrote {outFile}")}")));
            }
            return ExitCodes.Success;
        });
        return predict;
    }

    // The model's own data settings, then the command line's; the path and, failing all else, the source come from the file.
    private static IDataset OpenData(ConduitHost host, IInferenceModel model, FileInfo file, string? sourceName, string[] options)
    {
        Dictionary<string, string> recorded = Run(() => PredictionData.FromModel(model));
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in recorded)
        {
            settings[key.Replace('.', ':')] = value;
        }
        foreach (string pair in options)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CommandException($"--option: '{pair}' is not a setting; expected key=value such as label=target", ExitCodes.Usage);
            }
            string key = pair[..equals].Trim();
            // Array settings (features.0, shape.1) replace the model's whole array.
            foreach (string stale in settings.Keys.Where(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                settings.Remove(stale);
            }
            settings[key.Replace('.', ':')] = pair[(equals + 1)..].Trim();
        }
        settings["path"] = file.FullName;
        string name = sourceName ?? (settings.TryGetValue("source", out string? recordedSource) ? recordedSource : null) ?? SourceByExtension(file.Name)
            ?? throw new CommandException($"--data: cannot tell the source of '{file.Name}' from its extension; add --source csv|parquet|idx", ExitCodes.Usage);
        settings["source"] = name;
        IReadOnlyList<IDataSource> sources = host.Plugins.ResolveAll<IDataSource>(host.Services);
        IDataSource dataSource = sources.FirstOrDefault(s => s.Name == name)
            ?? throw new CommandException($"--source: '{name}' is not installed; available: {string.Join(", ", sources.Select(s => s.Name).DefaultIfEmpty("none"))}", ExitCodes.Usage);
        try
        {
            // The host's own keys (batch size, split, ...) are read first, so the source refuses only what neither reads.
            var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "data");
            DataSettings.Read(reader);
            return dataSource.Open(reader);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new CommandException($"--data: {e.Message}");
        }
    }

    private static string? SourceByExtension(string name)
    {
        string lower = name.ToLowerInvariant();
        lower = lower.EndsWith(".gz", StringComparison.Ordinal) ? lower[..^3] : lower;
        return Path.GetExtension(lower) switch
        {
            ".csv" or ".tsv" or ".txt" => "csv",
            ".parquet" => "parquet",
            ".idx" => "idx",
            _ when lower.EndsWith("-ubyte", StringComparison.Ordinal) => "idx",
            _ => null,
        };
    }

    private static FileInfo Existing(FileInfo file, string what) =>
        file.Exists ? file : throw new CommandException($"{what}: '{file}' does not exist", ExitCodes.Usage);

    // A model or data problem is the input's fault, said in one line; anything else is a failure of the command.
    private static T Run<T>(Func<T> action)
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

    private static async Task<T> RunAsync<T>(Func<Task<T>> action)
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
