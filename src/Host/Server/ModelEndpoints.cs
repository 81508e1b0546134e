using System.Text.Json;
using System.Text.Json.Nodes;
using Conduit.Host.Data;
using Conduit.Host.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Conduit.Host.Server;

/// <summary><c>/api/models</c>: the served models, and predict with dynamic batching.</summary>
internal static class ModelEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerOptions options)
    {
        RouteGroupBuilder models = app.MapGroup("/api/models").WithTags("Models");
        models.MapGet("/", (ModelRegistry registry) => Results.Ok(registry.Paths.Select(p => new { Name = p.Key, Path = p.Value }).ToList()))
            .WithSummary("The models served, by name.");

        models.MapGet("/{name}", (string name, ModelRegistry registry) =>
        {
            ModelRegistry.ServedModel? served = Open(registry, name, out IResult? problem);
            if (served is null)
            {
                return problem!;
            }
            var (requests, batches, examples) = served.Batcher.Counts;
            return Results.Ok(new
            {
                served.Name,
                served.Path,
                InputShape = served.Model.InputShape.Dimensions.ToArray(),
                served.Model.ClassNames,
                Reading = Reading(served.Model.Interpretation),
                served.Model.Description,
                Requests = requests,
                Batches = batches,
                Examples = examples,
                MeanBatchSize = batches == 0 ? 0 : (double)examples / batches,
            });
        }).WithSummary("A served model: inputs, classes, and its request and batch counts.");

        models.MapPost("/{name}/predict", async (string name, HttpRequest request, ModelRegistry registry, CancellationToken cancellationToken) =>
        {
            ModelRegistry.ServedModel? served = Open(registry, name, out IResult? problem);
            if (served is null)
            {
                return problem!;
            }
            var (body, bodyProblem) = await Problems.ReadObjectAsync(request, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
            if (bodyProblem is not null)
            {
                return bodyProblem;
            }
            int size = checked((int)served.Model.InputShape.ElementCount);
            if (!TryReadInstances(body!, size, out float[] features, out int count, out string? error))
            {
                return Problems.Result(StatusCodes.Status400BadRequest, "Invalid instances", error!);
            }
            var (outputs, width) = await served.Batcher.PredictAsync(features, count).ConfigureAwait(false);
            IReadOnlyList<string> classes = served.Model.ClassNames;
            var predictions = new List<object>(count);
            for (int i = 0; i < count; i++)
            {
                float[] row = outputs.AsSpan(i * width, width).ToArray();
                predictions.Add(new Prediction(classes.Count > 0 ? classes[Array.IndexOf(row, row.Max())] : null, row));
            }
            return Results.Ok(new { Model = name, Predictions = predictions });
        }).WithSummary("Predict: { \"instances\": [[...features...], ...] } -> a label and probabilities (or values) per instance.");
    }

    // How the server reads the model (from its metadata, its sidecar file or its output's name), to check it by.
    private static object Reading(ModelInterpretation reading) => new
    {
        reading.Input,
        reading.Output,
        Kind = reading.Kind.ToString().ToLowerInvariant(),
        Preprocessing = reading.Preprocessing.Kind != NormalizationKind.None,
        reading.Notes,
    };

    /// <summary>One instance's answer: the predicted class (classifiers) and the model's outputs (probabilities, or values).</summary>
    private sealed record Prediction(string? Label, float[] Outputs);

    private static ModelRegistry.ServedModel? Open(ModelRegistry registry, string name, out IResult? problem)
    {
        problem = null;
        try
        {
            ModelRegistry.ServedModel? served = registry.Get(name);
            if (served is null)
            {
                problem = Problems.Result(StatusCodes.Status404NotFound, "No such model", $"No model is served as '{name}'; served: {string.Join(", ", registry.Paths.Keys.DefaultIfEmpty("none"))}.");
            }
            return served;
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or NotSupportedException)
        {
            problem = Problems.Result(StatusCodes.Status500InternalServerError, "Model cannot be opened", e.Message);
            return null;
        }
    }

    private static bool TryReadInstances(JsonObject body, int size, out float[] features, out int count, out string? error)
    {
        features = [];
        count = 0;
        error = null;
        if (body["instances"] is not JsonArray instances || instances.Count == 0)
        {
            error = "instances: expected a non-empty array of examples, each an array of numbers";
            return false;
        }
        features = new float[instances.Count * size];
        for (int i = 0; i < instances.Count; i++)
        {
            if (instances[i] is not JsonArray values)
            {
                error = $"instances[{i}]: expected an array of {size} numbers";
                return false;
            }
            if (values.Count != size)
            {
                error = $"instances[{i}]: {values.Count} values; the model takes {size}";
                return false;
            }
            for (int j = 0; j < size; j++)
            {
                if (values[j] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
                {
                    error = $"instances[{i}][{j}]: expected a number";
                    return false;
                }
                features[i * size + j] = value.GetValue<float>();
            }
        }
        count = instances.Count;
        return true;
    }
}
