using Conduit.Configuration;
using System.Diagnostics;
using System.Globalization;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host;
using Conduit.Host.Cli;
using Conduit.Host.Data;
using Conduit.Host.Inference;
using Microsoft.Extensions.Configuration;
using Conduit.Benchmarks;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Inference [-- --rounds N] [--threads N]
int rounds = Option("--rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 5;
int threads = Option("--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : 1;
string root = RepositoryRoot.Path;
string scratch = Directory.CreateTempSubdirectory("conduit-bench-inference").FullName;
TextWriter stdout = Console.Out;
try
{
    // The sample job, shortened, with export: the model every figure below runs.
    Console.SetOut(TextWriter.Null);
    int code = await ConduitCli.RunAsync(["run", Path.Combine(root, "samples", "digits.job.json"), "--set", "trainer.max_epochs=5", "--set", $"trainer.default_root_dir={scratch}", "--set", "loggers=", "--json"],
        new CliConsole(TextWriter.Null, Console.Error, interactive: false));
    Console.SetOut(stdout);
    if (code != 0)
    {
        return code;
    }
    string onnxPath = Path.Combine(scratch, "digits", "model.onnx");
    string checkpoint = Directory.GetFiles(Path.Combine(scratch, "digits", "checkpoints"), "epoch=*.ckpt").First();

    var options = new ConduitHostOptions();
    options.Plugins.Roots.Add(Path.Combine(root, "artifacts", "plugins"));
    options.Plugins.Disabled.Add("console");
    await using ConduitHost host = ConduitHost.Start(options);
    using IInferenceModel conduit = ModelFiles.Open(host, onnxPath, new InferenceOptions { Threads = threads });
    using IInferenceModel torch = ModelFiles.Open(host, checkpoint, new InferenceOptions { Threads = threads });
    using var raw = new RawSession(onnxPath, threads);
    InMemoryDataset digits = await InMemoryDataset.LoadAsync(host.Plugins.ResolveAll<IDataSource>(host.Services).Single(s => s.Name == "csv")
        .Open(new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["path"] = Path.Combine(root, "samples", "data", "digits.csv"),
            ["label"] = "label",
        }).Build(), "data")));
    float[] features = digits.Features.ToArray();
    const int width = 64;

    Console.WriteLine($"Inference on the digits MLP (64-256-10, exported to ONNX opset 17), {threads} intra-op thread(s), {rounds} alternating rounds, medians, {Environment.ProcessorCount} cores");
    Console.WriteLine();
    Console.WriteLine("| batch | raw ORT rows/s | Predict rows/s | ratio | predict loop rows/s | ratio | loop + CSV rows rows/s | ratio | TorchSharp | ORT/Torch |");
    Console.WriteLine("|------:|---------------:|---------------:|------:|--------------------:|------:|----------------------:|------:|-----------:|----------:|");
    foreach (int batch in (int[])[1, 64, 1024])
    {
        long rows = batch == 1 ? 20_000 : batch == 64 ? 200_000 : 400_000;
        var batches = Batches(features, width, batch);
        var measured = new Dictionary<string, List<double>> { ["raw"] = [], ["predict"] = [], ["loop"] = [], ["csv"] = [], ["torch"] = [] };
        var dataset = digits;
        Func<double>[] sides =
        [
            () => measured["raw"].AddAndReturn(Rate(rows, batch, i => raw.Run(batches[i % batches.Count].Memory.Span, batch))),
            () => measured["predict"].AddAndReturn(Rate(rows, batch, i => conduit.Predict(batches[i % batches.Count]))),
            () => measured["loop"].AddAndReturn(LoopRate(conduit, dataset, batch, rows, null)),
            () => measured["csv"].AddAndReturn(LoopRate(conduit, dataset, batch, rows / 4, TextWriter.Null)),
            () => measured["torch"].AddAndReturn(Rate(rows / (batch == 1 ? 4 : 2), batch, i => torch.Predict(batches[i % batches.Count]))),
        ];
        foreach (Func<double> side in sides)
        {
            side(); // warm-up
        }
        foreach (var list in measured.Values)
        {
            list.Clear();
        }
        for (int round = 0; round < rounds; round++)
        {
            // A different order each round, so that no side always runs after the same neighbour.
            for (int s = 0; s < sides.Length; s++)
            {
                sides[(s + round) % sides.Length]();
            }
        }
        double rawRate = Median(measured["raw"]), predict = Median(measured["predict"]), loop = Median(measured["loop"]), csv = Median(measured["csv"]), torchRate = Median(measured["torch"]);
        Console.WriteLine($"| {batch,5} | {rawRate,14:N0} | {predict,15:N0} | {predict / rawRate,5:F2} | {loop,20:N0} | {loop / rawRate,5:F2} | {csv,21:N0} | {csv / rawRate,5:F2} | {torchRate,10:N0} | {predict / torchRate,5:F2}x |");
    }
    Console.WriteLine();
    Console.WriteLine("raw ORT: an InferenceSession on the same file with input and output OrtValues bound once per batch size (the fastest loop ONNX Runtime's C# API allows).");
    Console.WriteLine("conduit Predict: the onnx plugin's IInferenceModel, loaded through the host. conduit predict loop: what `conduit predict` runs per batch (batches");
    Console.WriteLine("read from the dataset, Predict, argmax and accuracy); loop + CSV rows adds formatting every row as predict writes it (to a null writer).");
    Console.WriteLine("TorchSharp: the checkpoint's model on the same batches; ORT/Torch is conduit Predict over it.");
    return 0;
}
finally
{
    Console.SetOut(stdout);
    Directory.Delete(scratch, recursive: true);
}

static List<TensorBuffer<float>> Batches(float[] features, int width, int batch)
{
    int rows = features.Length / width;
    var batches = new List<TensorBuffer<float>>();
    for (int start = 0; start + batch <= rows; start += batch)
    {
        batches.Add(new TensorBuffer<float>(features.AsMemory(start * width, batch * width), new TensorShape(batch, width)));
    }
    if (batches.Count == 0)
    {
        // More rows per batch than the file has: repeat it.
        var repeated = new float[batch * width];
        for (int i = 0; i < repeated.Length; i++)
        {
            repeated[i] = features[i % features.Length];
        }
        batches.Add(new TensorBuffer<float>(repeated, new TensorShape(batch, width)));
    }
    return batches;
}

static double Rate(long rows, int batch, Action<int> run)
{
    long calls = Math.Max(1, rows / batch);
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < calls; i++)
    {
        run(i);
    }
    return calls * batch / clock.Elapsed.TotalSeconds;
}

static double LoopRate(IInferenceModel model, InMemoryDataset data, int batch, long rows, TextWriter? output)
{
    long done = 0;
    var clock = Stopwatch.StartNew();
    while (done < rows)
    {
        PredictionReport report = Predictor.RunAsync(model, data, output, batch).GetAwaiter().GetResult();
        done += report.Rows;
    }
    return done / clock.Elapsed.TotalSeconds;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;


internal static class ListExtensions
{
    public static double AddAndReturn(this List<double> list, double value)
    {
        list.Add(value);
        return value;
    }
}
