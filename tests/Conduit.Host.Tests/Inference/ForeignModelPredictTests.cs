using System.Globalization;
using System.Text.Json;
using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;
using Output = Conduit.Host.Tests.Support.OnnxFixtures.Output;

namespace Conduit.Host.Tests.Inference;

/// <summary>
/// <c>conduit predict</c> on ONNX classifiers from elsewhere, shaped like <c>torch.onnx.export</c>'s (no Conduit
/// metadata): the label column found, the class and its probability written, and the accuracy the weights imply.
/// </summary>
public sealed class ForeignModelPredictTests : IDisposable
{
    private static readonly Lazy<CentroidDigits> Centroids = new(() => new CentroidDigits(Digits));

    private static readonly string[] Names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static string Digits => Path.Combine(RepoPaths.Root, "samples", "data", "digits.csv");

    internal static string Write(TempDirectory temp, string name, params Output[] outputs)
    {
        string path = temp.Combine(name);
        OnnxFixtures.WriteLinear(path, Centroids.Value.Weights, Centroids.Value.Bias, outputs);
        return path;
    }

    internal static async Task<(JsonElement Report, string Error)> PredictAsync(params string[] args)
    {
        CliRunner.Result result = await CliRunner.RunAsync(["predict", .. args, "--plugins", RepoPaths.Plugins, "--json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        return (JsonDocument.Parse(result.Output).RootElement.Clone(), result.Error);
    }

    [Fact]
    public async Task A_probabilities_output_finds_the_label_column_and_reports_the_accuracy_its_weights_imply()
    {
        string model = Write(_temp, "classifier.onnx", new Output("probabilities", Softmax: true));
        string csv = _temp.Combine("predictions.csv");

        var (report, error) = await PredictAsync("--model", model, "--data", Digits, "--out", csv);

        Assert.Contains("digits.csv: using column 'label' as the label (65 columns; the model takes 64 features)", error, StringComparison.Ordinal);
        Assert.Equal(1797, report.GetProperty("rows").GetInt64());
        Assert.Equal(Centroids.Value.Accuracy, report.GetProperty("accuracy").GetDouble());
        Assert.InRange(Centroids.Value.Accuracy, 0.85, 0.99);
        string[][] rows = Rows(csv, out string header);
        Assert.Equal("row,label,predicted,probability," + string.Join(",", Enumerable.Range(0, 10).Select(k => $"p_{k}")), header);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(Centroids.Value.Labels[i].ToString(CultureInfo.InvariantCulture), rows[i][1]);
            Assert.Equal(Centroids.Value.Predicted[i].ToString(CultureInfo.InvariantCulture), rows[i][2]);
            double[] p = [.. rows[i][4..].Select(Number)];
            Assert.Equal(p.Max(), Number(rows[i][3]));
            Assert.InRange(p.Sum(), 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Fact]
    public async Task Logits_give_the_same_classes_softmaxed_and_classes_name_them()
    {
        string probabilities = Write(_temp, "probabilities.onnx", new Output("probabilities", Softmax: true));
        string logits = Write(_temp, "logits.onnx", new Output("logits", Softmax: false));
        string names = _temp.Combine("classes.txt");
        await File.WriteAllLinesAsync(names, Names);
        string fromProbabilities = _temp.Combine("p.csv"), fromLogits = _temp.Combine("l.csv");

        await PredictAsync("--model", probabilities, "--data", Digits, "--out", fromProbabilities);
        // --label and the older --option label=... name the column, so nothing is guessed.
        var (report, error) = await PredictAsync("--model", logits, "--data", Digits, "--out", fromLogits, "--classes", names, "--label", "label");
        var (again, _) = await PredictAsync("--model", logits, "--data", Digits, "--classes", string.Join(",", Names), "--option", "label=label");

        Assert.DoesNotContain("as the label", error, StringComparison.Ordinal);
        // Data labelled 0..9 is scored against classes given names by index.
        Assert.Equal(Centroids.Value.Accuracy, report.GetProperty("accuracy").GetDouble());
        Assert.Equal(Centroids.Value.Accuracy, again.GetProperty("accuracy").GetDouble());
        string[][] p = Rows(fromProbabilities, out _), l = Rows(fromLogits, out string header);
        Assert.Equal("row,label,predicted,probability," + string.Join(",", Names.Select(n => "p_" + n)), header);
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(Names[Centroids.Value.Predicted[i]], l[i][2]);
            for (int k = 3; k < p[i].Length; k++)
            {
                Assert.InRange(Math.Abs(Number(p[i][k]) - Number(l[i][k])), 0, 1e-5);
            }
        }
    }

    [Fact]
    public async Task Scale_center_and_per_feature_statistics_give_the_model_its_own_input()
    {
        string model = Write(_temp, "classifier.onnx", new Output("probabilities", Softmax: true));
        // The digits as another pipeline stores them: 4x + 3. Subtracting 3 and multiplying by 1/4 undoes it exactly.
        string shifted = _temp.Combine("shifted.csv");
        await File.WriteAllLinesAsync(shifted, File.ReadLines(Digits).Select((line, i) => i == 0 ? line
            : string.Join(",", line.Split(',').Select((v, j) => j < 64 ? (4 * int.Parse(v, CultureInfo.InvariantCulture) + 3).ToString(CultureInfo.InvariantCulture) : v))));
        string statistics = _temp.Combine("stats.json");
        await File.WriteAllTextAsync(statistics, JsonSerializer.Serialize(new { mean = Enumerable.Repeat(3f, 64), std = Enumerable.Repeat(4f, 64) }));

        var (constants, _) = await PredictAsync("--model", model, "--data", shifted, "--center", "3", "--scale", "0.25");
        var (perFeature, _) = await PredictAsync("--model", model, "--data", shifted, "--preprocess", statistics);
        var (raw, _) = await PredictAsync("--model", model, "--data", shifted);

        Assert.Equal(Centroids.Value.Accuracy, constants.GetProperty("accuracy").GetDouble());
        Assert.Equal(Centroids.Value.Accuracy, perFeature.GetProperty("accuracy").GetDouble());
        Assert.NotEqual(Centroids.Value.Accuracy, raw.GetProperty("accuracy").GetDouble());

        await File.WriteAllTextAsync(statistics, """{ "mean": [3, 3, 3], "std": [4, 4, 4] }""");
        CliRunner.Result wrong = await CliRunner.RunAsync("predict", "--model", model, "--data", shifted, "--preprocess", statistics, "--plugins", RepoPaths.Plugins);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal($"conduit: error: --preprocess {statistics}: 3 means and standard deviations, but the model takes 64 features per example; expected one per feature", wrong.Error.Trim());
        CliRunner.Result zero = await CliRunner.RunAsync("predict", "--model", model, "--data", shifted, "--scale", "0", "--plugins", RepoPaths.Plugins);
        Assert.Equal(2, zero.ExitCode);
        Assert.Equal("conduit: error: --scale: '0' is not allowed; expected a finite number other than 0", zero.Error.Trim());
    }

    internal static string[][] Rows(string csv, out string header)
    {
        string[] lines = File.ReadAllLines(csv);
        header = lines[0];
        return [.. lines.Skip(1).Select(line => line.Split(','))];
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
