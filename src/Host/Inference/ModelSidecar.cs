using System.Text.Json;

namespace Conduit.Host.Inference;

/// <summary>
/// The sidecar file beside a model, <c>&lt;model file&gt;.json</c> (<c>model.onnx.json</c>): how to read a model that
/// does not say it itself, in the words of <c>predict</c>'s options — <c>{"task": "classification", "classes": [...],
/// "input": "...", "output": "...", "output_kind": "logits", "scale": 0.0625, "center": 0, "preprocess": {"mean": [...],
/// "std": [...]}}</c>, every key optional. <c>predict</c> and <c>serve</c> both read it; predict's options win over it.
/// </summary>
public static class ModelSidecar
{
    private static readonly string[] Keys = ["task", "classes", "input", "output", "output_kind", "scale", "center", "preprocess"];

    /// <summary>The sidecar's path for <paramref name="modelPath"/>.</summary>
    public static string PathOf(string modelPath) => modelPath + ".json";

    /// <summary>The hints in <paramref name="modelPath"/>'s sidecar; <see cref="ModelHints.None"/> when it has none.</summary>
    /// <exception cref="InvalidDataException">The sidecar is not such an object; the message names the file and the key.</exception>
    public static ModelHints Read(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        string path = PathOf(modelPath);
        if (!File.Exists(path))
        {
            return ModelHints.None;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: expected a JSON object with any of {string.Join(", ", Keys)}");
            }
            var hints = ModelHints.None;
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                hints = Read(hints, property, $"{path}: {property.Name}", Path.GetDirectoryName(Path.GetFullPath(path))!);
            }
            return hints;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not JSON: {e.Message}", e);
        }
    }

    private static ModelHints Read(ModelHints hints, JsonProperty property, string where, string folder)
    {
        JsonElement value = property.Value;
        return property.Name switch
        {
            "task" => hints with { Task = ModelHintValues.Task(Text(value, where), where) },
            "classes" when value.ValueKind == JsonValueKind.Array => hints with { Classes = ModelHintValues.Classes([.. value.EnumerateArray().Select(n => Text(n, where))], where) },
            "classes" => hints with { Classes = ModelHintValues.Classes(Text(value, where), where, folder) },
            "input" => hints with { Input = Text(value, where) },
            "output" => hints with { Output = Text(value, where) },
            "output_kind" => hints with { OutputKind = ModelHintValues.Kind(Text(value, where), where) },
            "scale" => hints with { Scale = ModelHintValues.Number(value.GetRawText(), where, nonZero: true) },
            "center" => hints with { Center = ModelHintValues.Number(value.GetRawText(), where, nonZero: false) },
            "preprocess" when value.ValueKind == JsonValueKind.String => hints with { Statistics = ModelHintValues.StatisticsFile(Path.Combine(folder, value.GetString()!), where) },
            "preprocess" => hints with { Statistics = ModelHintValues.Statistics(value, where) },
            _ => throw new InvalidDataException($"{where}: unknown key; expected any of {string.Join(", ", Keys)}"),
        };
    }

    private static string Text(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"{where}: {value.GetRawText()} is not allowed; expected a non-empty string");
}
