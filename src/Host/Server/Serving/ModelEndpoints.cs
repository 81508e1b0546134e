using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Conduit.Host.Server.Serving;

/// <summary><c>/api/models</c>: the served models, their request and batch figures, and predictions.</summary>
internal static class ModelEndpoints
{
    /// <summary>The most examples one request may carry (more belong in a batch job).</summary>
    public const int MaxExamplesPerRequest = 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder models = app.MapGroup("/api/models").WithTags("Models");
        models.MapGet("/", (ModelRegistry registry) => Results.Ok(registry.Models.Select(m => new
        {
            m.Name,
            inputShape = m.Model.InputShape.Dimensions.ToArray(),
            classes = m.Model.ClassNames,
            maxBatchSize = m.Batcher.MaxBatchSize,
            batchTimeoutMs = m.Batcher.MaxWait.TotalMilliseconds,
        }))).WithName("ListModels");
        models.MapGet("/{name}/metrics", (string name, ModelRegistry registry) =>
            registry.Find(name) is { } model ? Results.Ok(model.Batcher.Metrics.Snapshot()) : NotFound(name, registry)).WithName("ModelMetrics");
        models.MapPost("/{name}/predict", PredictAsync).WithName("Predict")
            .Produces<PredictResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> PredictAsync(string name, HttpRequest request, ModelRegistry registry, IOptions<JsonOptions> json)
    {
        if (registry.Find(name) is not { } model)
        {
            return NotFound(name, registry);
        }
        PredictRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<PredictRequest>(request.Body, json.Value.SerializerOptions, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return Problems.Result(400, "Malformed body", $"not a predict request: {e.Message}; expected {{ \"input\": [numbers] }} or {{ \"inputs\": [[numbers], ...] }}", e.Path is { Length: > 0 } p ? p : "body");
        }
        catch (BadHttpRequestException e)
        {
            return Problems.Result(e.StatusCode, "Request body refused", e.Message, "body");
        }
        float[][]? examples = body?.Inputs ?? (body?.Input is { } one ? [one] : null);
        if (examples is null || examples.Length == 0)
        {
            return Problems.Result(400, "No input", "expected { \"input\": [numbers] } or { \"inputs\": [[numbers], ...] }", "input");
        }
        if (examples.Length > MaxExamplesPerRequest)
        {
            return Problems.Result(400, "Too many examples", $"inputs: {examples.Length} examples; expected at most {MaxExamplesPerRequest} per request", "inputs");
        }
        long size = model.Model.InputShape.ElementCount;
        for (int i = 0; i < examples.Length; i++)
        {
            if (examples[i] is not { } example || example.Length != size)
            {
                return Problems.Result(400, "Wrong input size", $"inputs[{i}]: {examples[i]?.Length ?? 0} values; expected {size} (input shape [{string.Join(", ", model.Model.InputShape.Dimensions.ToArray())}])", $"inputs[{i}]");
            }
        }
        var rows = new Task<float[]>[examples.Length];
        for (int i = 0; i < examples.Length; i++)
        {
            rows[i] = model.Batcher.PredictAsync(examples[i]);
        }
        float[][] outputs = await Task.WhenAll(rows).ConfigureAwait(false);
        IReadOnlyList<string> classes = model.Model.ClassNames;
        string[]? labels = classes.Count > 0 && outputs.All(o => o.Length == classes.Count) ? [.. outputs.Select(o => classes[ArgMax(o)])] : null;
        return Results.Ok(new PredictResponse(outputs, labels));
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }

    private static IResult NotFound(string name, ModelRegistry registry) =>
        Problems.Result(404, "Model not found", $"no model is served as '{name}'; served: {string.Join(", ", registry.Models.Select(m => m.Name).DefaultIfEmpty("none"))}", "name");
}
