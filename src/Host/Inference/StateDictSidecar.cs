using System.Text.Json;
using System.Text.Json.Nodes;
using Conduit.Host.Sweeps;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Inference;

/// <summary>
/// What a state dict does not say, beside it as <c>&lt;file&gt;.json</c>: the model section of the job that trained
/// it (the architecture, from which README's snippet builds the equivalent <c>torch.nn.Sequential</c>), the input
/// width and the outputs, the class names, and the normalization its inputs need (center and scale per feature).
/// </summary>
internal static class StateDictSidecar
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the sidecar of the state dict at <paramref name="path"/>, exported from <paramref name="checkpoint"/>.</summary>
    public static string Write(string path, CheckpointModel checkpoint, string format)
    {
        IConfiguration job = new ConfigurationBuilder()
            .AddInMemoryCollection(checkpoint.Metadata.Job.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal))
                .Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace('.', ':'), kv.Value)))
            .Build();
        var sidecar = new JsonObject
        {
            ["format"] = format,
            ["target"] = checkpoint.Metadata.Target,
            ["model"] = ConfigurationJson.From(job.GetSection("model")),
            ["features"] = JsonSerializer.SerializeToNode(checkpoint.Metadata.FeatureShape),
            ["outputs"] = checkpoint.Description.Outputs[0].Dimensions[^1] is var width && int.TryParse(width, out int outputs) ? outputs : null,
            ["class_names"] = JsonSerializer.SerializeToNode(checkpoint.ClassNames),
            ["preprocessing"] = checkpoint.Preprocessing is { } scaling
                ? new JsonObject { ["kind"] = scaling.Kind, ["center"] = JsonSerializer.SerializeToNode(scaling.Center), ["scale"] = JsonSerializer.SerializeToNode(scaling.Scale) }
                : null,
        };
        string file = path + ".json";
        File.WriteAllText(file, sidecar.ToJsonString(Indented));
        return file;
    }
}
