using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host;
using Conduit.Host.Inference;
using Conduit.Host.Tests.Support;
using Conduit.Server.Tests.Support;

namespace Conduit.Server.Tests;

/// <summary>Serving: a job's exported model answers predict requests, gathered into batches when they come together.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModelServingTests(ModelServingTests.ExportedDigits exported) : IClassFixture<ModelServingTests.ExportedDigits>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A digits model trained and exported by a job on a server, which then served it under the job's name.</summary>
    public sealed class ExportedDigits : IAsyncLifetime
    {
        private readonly TempFolder _temp = new();

        public string Model { get; private set; } = "";

        public JsonElement ServedByJob { get; private set; }

        public async Task InitializeAsync()
        {
            await using TestServer server = await TestServer.StartAsync(_temp.Path);
            string id = await server.SubmitAcceptedAsync(Jobs.Digits(epochs: 5, extra: ", \"export\": \"onnx\""));
            JsonElement job = await server.WaitForStatusAsync(id, "completed", "failed");
            Assert.True(job.GetProperty("status").GetString() == "completed", job.ToString());
            Model = job.GetProperty("model").GetString()!;
            ServedByJob = JsonDocument.Parse(await server.Client.GetStringAsync("/api/models")).RootElement.Clone();
        }

        public Task DisposeAsync()
        {
            _temp.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void A_job_that_exports_serves_its_model_under_its_name()
    {
        JsonElement model = Assert.Single(exported.ServedByJob.EnumerateArray());
        Assert.Equal("digits-srv", model.GetProperty("name").GetString());
        Assert.Equal(exported.Model, model.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Predictions_are_the_models_own()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => o.Models["digits"] = exported.Model);
        float[][] rows = DigitRows(5);
        JsonElement answer = await PredictAsync(server, rows);
        JsonElement[] predictions = [.. answer.GetProperty("predictions").EnumerateArray()];
        Assert.Equal(5, predictions.Length);

        // The same model run here, through the onnx plugin, without the server.
        var options = new ConduitHostOptions();
        options.Plugins.Roots.Add(RepoPaths.Plugins);
        await using ConduitHost host = ConduitHost.Start(options);
        using IInferenceModel local = ModelFiles.Open(host, exported.Model, new InferenceOptions());
        TensorBuffer<float> expected = local.Predict(new TensorBuffer<float>(rows.SelectMany(r => r).ToArray(), new TensorShape(5, 64)));
        for (int i = 0; i < 5; i++)
        {
            float[] outputs = [.. predictions[i].GetProperty("outputs").EnumerateArray().Select(v => v.GetSingle())];
            Assert.Equal(expected.Memory.Span.Slice(i * 10, 10).ToArray(), outputs);
            Assert.Equal(local.ClassNames[Array.IndexOf(outputs, outputs.Max())], predictions[i].GetProperty("label").GetString());
        }
    }

    [Fact]
    public async Task A_foreign_model_is_served_with_the_class_names_and_probabilities_its_sidecar_implies()
    {
        // An ONNX classifier from elsewhere: logits, no Conduit metadata; the sidecar beside it names its classes.
        var digits = new CentroidDigits(Path.Combine(RepoPaths.Root, "samples", "data", "digits.csv"));
        string model = Path.Combine(_temp.Path, "foreign.onnx");
        OnnxFixtures.WriteLinear(model, digits.Weights, digits.Bias, [new OnnxFixtures.Output("logits", Softmax: false)]);
        string[] names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        await File.WriteAllTextAsync(model + ".json", JsonSerializer.Serialize(new { task = "classification", classes = names }));
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => o.Models["digits"] = model);

        JsonElement[] predictions = [.. (await PredictAsync(server, DigitRows(20))).GetProperty("predictions").EnumerateArray()];

        for (int i = 0; i < predictions.Length; i++)
        {
            float[] probabilities = [.. predictions[i].GetProperty("outputs").EnumerateArray().Select(v => v.GetSingle())];
            Assert.Equal(names[digits.Predicted[i]], predictions[i].GetProperty("label").GetString());
            Assert.Equal(digits.Predicted[i], Array.IndexOf(probabilities, probabilities.Max()));
            Assert.InRange(probabilities.Sum(), 1 - 1e-5, 1 + 1e-5);
        }
        JsonElement reading = JsonDocument.Parse(await server.Client.GetStringAsync("/api/models/digits")).RootElement.GetProperty("reading");
        Assert.Equal("logits", reading.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData(64, 40)]
    [InlineData(1, 40)]
    public async Task Concurrent_requests_are_gathered_into_batches_unless_batching_is_off(int maxBatch, int requests)
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o =>
        {
            o.Models["digits"] = exported.Model;
            // A wait long enough that concurrent requests meet even on a loaded machine.
            o.Batching = new Host.Server.BatchingOptions(maxBatch, TimeSpan.FromMilliseconds(200));
        });
        float[][] rows = DigitRows(requests);
        await PredictAsync(server, [rows[0]]); // opens the model
        JsonElement[] answers = await Task.WhenAll(rows.Select(row => PredictAsync(server, [row])));
        Assert.All(answers, a => Assert.Single(a.GetProperty("predictions").EnumerateArray()));

        JsonElement stats = JsonDocument.Parse(await server.Client.GetStringAsync("/api/models/digits")).RootElement;
        long served = stats.GetProperty("requests").GetInt64(), batches = stats.GetProperty("batches").GetInt64();
        Assert.Equal(requests + 1, served);
        if (maxBatch == 1)
        {
            Assert.Equal(served, batches);
        }
        else
        {
            Assert.True(batches < served / 2, $"{served} requests in {batches} batches");
            Assert.InRange(stats.GetProperty("meanBatchSize").GetDouble(), 2, maxBatch);
        }
    }

    [Fact]
    public async Task Bad_requests_name_what_is_wrong()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => o.Models["digits"] = exported.Model);
        await AssertProblem(server, "digits", "{\"instances\": [[1, 2, 3]]}", HttpStatusCode.BadRequest, "instances[0]: 3 values; the model takes 64");
        await AssertProblem(server, "digits", "{\"instances\": []}", HttpStatusCode.BadRequest, "instances: expected a non-empty array");
        await AssertProblem(server, "digits", $"{{\"instances\": [[{string.Join(", ", Enumerable.Repeat("\"a\"", 64))}]]}}", HttpStatusCode.BadRequest, "instances[0][0]: expected a number");
        await AssertProblem(server, "nope", "{\"instances\": [[1]]}", HttpStatusCode.NotFound, "No model is served as 'nope'; served: digits");
    }

    private static async Task<JsonElement> PredictAsync(TestServer server, float[][] rows)
    {
        string body = JsonSerializer.Serialize(new { instances = rows });
        using HttpResponseMessage response = await server.Client.PostAsync("/api/models/digits/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task AssertProblem(TestServer server, string model, string body, HttpStatusCode status, string detail)
    {
        using HttpResponseMessage response = await server.Client.PostAsync($"/api/models/{model}/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, text);
        Assert.Contains(detail, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static float[][] DigitRows(int count) =>
        [.. File.ReadLines(Path.Combine(RepoPaths.Root, "samples", "data", "digits.csv")).Skip(1).Take(count)
            .Select(line => line.Split(',')[..64].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
}
