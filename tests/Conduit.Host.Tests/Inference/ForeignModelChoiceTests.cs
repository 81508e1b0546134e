using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;
using Output = Conduit.Host.Tests.Support.OnnxFixtures.Output;
using static Conduit.Host.Tests.Inference.ForeignModelPredictTests;

namespace Conduit.Host.Tests.Inference;

/// <summary>
/// Which input and output of a foreign model <c>predict</c> reads, and what it holds: named on the command line, in
/// the sidecar file beside the model, or by the output's usual name; refused in one line listing the model's names
/// when it is ambiguous or wrong.
/// </summary>
public sealed class ForeignModelChoiceTests : IDisposable
{
    private static readonly Lazy<CentroidDigits> Centroids = new(() => new CentroidDigits(Digits));

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Two_outputs_need_one_named_and_wrong_names_are_refused_listing_the_models()
    {
        string model = Write(_temp, "two.onnx", new Output("logits", Softmax: false), new Output("probabilities", Softmax: true));

        CliRunner.Result ambiguous = await Fails("--model", model);
        Assert.Equal($"conduit: error: {model}: the model has 2 outputs (logits, probabilities); name one with --output NAME (or \"output\" in two.onnx.json)", ambiguous.Error.Trim());
        CliRunner.Result output = await Fails("--model", model, "--output", "label");
        Assert.Equal($"conduit: error: {model}: the model has no output 'label'; its outputs: logits, probabilities", output.Error.Trim());
        CliRunner.Result input = await Fails("--model", model, "--output", "logits", "--input", "pixels");
        Assert.Equal($"conduit: error: {model}: the model has no input 'pixels'; its inputs: input", input.Error.Trim());

        var (probabilities, _) = await PredictAsync("--model", model, "--data", Digits, "--output", "probabilities", "--input", "input");
        var (logits, _) = await PredictAsync("--model", model, "--data", Digits, "--output", "logits");
        Assert.Equal(Centroids.Value.Accuracy, probabilities.GetProperty("accuracy").GetDouble());
        Assert.Equal(Centroids.Value.Accuracy, logits.GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public async Task An_output_of_no_usual_name_is_values_until_the_sidecar_says_it_is_a_classifier()
    {
        string model = Write(_temp, "model.onnx", new Output("output", Softmax: false), new Output("features", Softmax: false));
        string csv = _temp.Combine("predictions.csv");

        var (values, note) = await PredictAsync("--model", model, "--data", Digits, "--output", "output", "--out", csv);
        Assert.False(values.TryGetProperty("accuracy", out _));
        Assert.Contains("reading output 'output' (10 columns) as values; --task classification reads them as class scores", note, StringComparison.Ordinal);
        Assert.StartsWith("row,label,prediction_0,prediction_1,", File.ReadLines(csv).First(), StringComparison.Ordinal);

        string[] names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        await File.WriteAllTextAsync(model + ".json", $$"""
            { "task": "classification", "classes": [{{string.Join(", ", names.Select(n => $"\"{n}\""))}}], "input": "input", "output": "output", "output_kind": "logits" }
            """);
        var (classified, quiet) = await PredictAsync("--model", model, "--data", Digits, "--out", csv);
        Assert.Equal(Centroids.Value.Accuracy, classified.GetProperty("accuracy").GetDouble());
        Assert.DoesNotContain("reading output", quiet, StringComparison.Ordinal);
        string[][] rows = Rows(csv, out string header);
        Assert.StartsWith("row,label,predicted,probability,p_zero,", header, StringComparison.Ordinal);
        Assert.Equal(names[Centroids.Value.Predicted[7]], rows[7][2]);

        // The command line wins over the sidecar; the sidecar's names are checked like the options.
        CliRunner.Result wrong = await Fails("--model", model, "--classes", "a,b");
        Assert.Equal($"conduit: error: --classes: 2 class names, but output 'output' of {model} has 10 columns; expected one name per column", wrong.Error.Trim());
        await File.WriteAllTextAsync(model + ".json", """{ "task": "classification", "input": "pixels" }""");
        CliRunner.Result input = await Fails("--model", model);
        Assert.Equal($"conduit: error: {model}: the model has no input 'pixels'; its inputs: input", input.Error.Trim());
        await File.WriteAllTextAsync(model + ".json", """{ "tasks": "classification" }""");
        CliRunner.Result key = await Fails("--model", model);
        Assert.Equal($"conduit: error: {model}.json: tasks: unknown key; expected any of task, classes, input, output, output_kind, scale, center, preprocess", key.Error.Trim());
    }

    private static async Task<CliRunner.Result> Fails(params string[] args)
    {
        CliRunner.Result result = await CliRunner.RunAsync(["predict", .. args, "--data", Digits, "--plugins", RepoPaths.Plugins]);
        Assert.Equal(1, result.ExitCode);
        return result;
    }
}
