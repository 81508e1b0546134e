using System.CommandLine;
using System.Globalization;
using System.Text;
using Conduit.Frameworks;
using Conduit.Host.Inference;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Conduit.Host.Cli;

/// <summary>
/// <c>conduit predict</c>: a model (ONNX file or checkpoint, Conduit's or anyone's) over a data file, read through
/// <see cref="ModelFiles.OpenToPredict"/> as <c>serve</c> reads it; writes the predictions as CSV and reports accuracy
/// or RMSE on labelled data.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "An .onnx file or a checkpoint.", Required = true };
        var data = new Option<FileInfo>("--data", "-d") { Description = "The data file to predict (read with the model's own data settings: label column, features, shape).", Required = true };
        var source = new Option<string?>("--source") { Description = "The data source (csv, parquet, idx, ...); default: the model's, else by the file's extension." };
        var option = new Option<string[]>("--option") { Description = "A data setting, e.g. --option label=target (repeatable; overrides the model's).", AllowMultipleArgumentsPerToken = false };
        var label = new Option<string?>("--label") { Description = "The data's label column (default: the model's; else a column named label, target or y when the data has one column more than the model takes)." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "The predictions CSV to write (row, label, predicted, probability, one probability per class)." };
        var batch = new Option<int>("--batch-size") { Description = "Examples per inference batch.", DefaultValueFactory = _ => 256 };
        var device = new Option<string>("--device") { Description = "cpu, or cuda[:N] (falls back to the CPU, saying why, where CUDA is not available).", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads; 0 for the framework's default.", DefaultValueFactory = _ => 0 };
        var optimization = new Option<string?>("--optimization-level") { Description = "ONNX Runtime graph optimization: disabled, basic, extended, all (default)." };
        var hints = new ModelHintOptions();
        var json = GlobalOptions.Json();
        var predict = new Command("predict", "Predict a data file with a model (ONNX or checkpoint) and write the predictions as CSV; reports accuracy or RMSE on labelled data.")
        {
            model, data, source, option, label, output, batch, device, threads, optimization, json,
        };
        foreach (Option hint in hints.All)
        {
            predict.Options.Add(hint);
        }
        predict.SetAction(async (parse, cancellationToken) =>
        {
            FileInfo modelFile = InferenceCommands.Existing(parse.GetValue(model)!, "--model");
            FileInfo dataFile = InferenceCommands.Existing(parse.GetValue(data)!, "--data");
            int batchSize = parse.GetValue(batch);
            if (batchSize < 1)
            {
                throw new CommandException($"--batch-size: {batchSize} is not allowed; expected 1 or more", ExitCodes.Usage);
            }
            ModelHints given = hints.Read(parse);
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
            using InterpretedModel loaded = InferenceCommands.Run(() => ModelFiles.OpenToPredict(host, modelFile.FullName, inference, given));
            foreach (string note in loaded.Interpretation.Notes)
            {
                console.Error.WriteLine($"conduit: {note}");
            }
            using var dataset = new PredictionDataFile(host, loaded, dataFile, console);
            dataset.Open(parse.GetValue(source), parse.GetValue(option) ?? [], parse.GetValue(label));
            FileInfo? outFile = parse.GetValue(output);
            PredictionReport report;
            await using (StreamWriter? writer = outFile is null ? null : new StreamWriter(outFile.FullName, append: false, new UTF8Encoding(false)))
            {
                report = await InferenceCommands.RunAsync(() => Predictor.RunAsync(loaded, dataset.Data, writer, batchSize, cancellationToken)).ConfigureAwait(false);
            }
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
}
