using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Export;

/// <summary>
/// A model's weights as PyTorch keeps them, through TorchSharp.PyBridge: a state dict as <c>torch.save</c> writes it
/// (<c>.pt</c>, <c>.pth</c>), or a safetensors file. Keys are the module's own (<c>fc1.weight</c>, <c>bn1.running_mean</c>):
/// the names a <c>torch.nn.Sequential</c> of the same layers under the same names has, so the file loads there as it is.
/// </summary>
internal static class StateDictFile
{
    /// <summary>The export formats that write a state dict.</summary>
    public static readonly string[] Formats = ["pytorch", "safetensors"];

    /// <summary>Why <paramref name="path"/> cannot be read as weights, or null (also for no path).</summary>
    public static string? Problem(string? path) =>
        path is null ? null
        : !File.Exists(path) ? $"'{path}' does not exist; expected a PyTorch state dict (.pt, .pth) or a .safetensors file"
        : IsSafetensors(path) || Path.GetExtension(path).ToLowerInvariant() is ".pt" or ".pth" or ".bin" ? null
        : $"'{Path.GetFileName(path)}' is neither a PyTorch state dict (.pt, .pth, .bin) nor a .safetensors file";

    /// <summary>Writes <paramref name="module"/>'s parameters and buffers to <paramref name="destination"/> in <paramref name="format"/>.</summary>
    public static void Write(nn.Module module, string format, Stream destination)
    {
        Dictionary<string, Tensor> state = module.state_dict();
        if (format == "safetensors")
        {
            Safetensors.SaveStateDict(destination, state, leaveOpen: true);
        }
        else
        {
            PyTorchPickler.PickleStateDict(destination, state, leaveOpen: true);
        }
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="module"/>: every tensor the module has must be in the file with
    /// its shape, and nothing else; otherwise nothing is loaded and every missing, unexpected or mis-shaped tensor is named.
    /// </summary>
    /// <exception cref="ArgumentException">The file cannot be read, or does not fit the module.</exception>
    public static void Load(nn.Module module, string path)
    {
        Dictionary<string, Tensor> loaded = Read(path);
        try
        {
            Dictionary<string, Tensor> expected = module.state_dict();
            var problems = new List<string>();
            foreach (var (name, tensor) in expected)
            {
                if (!loaded.TryGetValue(name, out Tensor? found))
                {
                    problems.Add($"{name} {Shape(tensor)} is missing");
                }
                else if (!found.shape.SequenceEqual(tensor.shape))
                {
                    problems.Add($"{name} is {Shape(found)} in the file, {Shape(tensor)} in the model");
                }
            }
            problems.AddRange(loaded.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"{k} {Shape(loaded[k])} is unexpected"));
            if (problems.Count > 0)
            {
                throw new ArgumentException($"model.init_from: {Path.GetFileName(path)} does not fit this model: {string.Join("; ", problems)} "
                    + $"(the model's tensors: {string.Join(", ", expected.Select(kv => $"{kv.Key} {Shape(kv.Value)}"))})");
            }
            module.load_state_dict(loaded, strict: true);
        }
        finally
        {
            foreach (Tensor tensor in loaded.Values)
            {
                tensor.Dispose();
            }
        }
    }

    private static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            if (IsSafetensors(path))
            {
                return Safetensors.LoadStateDict(path);
            }
            using FileStream stream = File.OpenRead(path);
            Hashtable table = PyTorchUnpickler.UnpickleStateDict(stream);
            return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as Tensor
                ?? throw new InvalidDataException($"'{e.Key}' holds a {e.Value?.GetType().Name ?? "null"}, not a tensor"));
        }
        catch (Exception e) when (e is not ArgumentException and not OutOfMemoryException)
        {
            throw new ArgumentException($"model.init_from: {Path.GetFileName(path)} is not a readable {(IsSafetensors(path) ? "safetensors file" : "PyTorch state dict (save model.state_dict() with torch.save, not the model)")}: {e.Message}", e);
        }
    }

    private static bool IsSafetensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    private static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";
}
