using Conduit.Frameworks;
using Conduit.Host.Checkpoints;

namespace Conduit.Host.Server.Serving;

/// <summary>
/// Opens a model file through the framework plugin that reads it: an <c>.onnx</c> file through <c>onnx</c>, a checkpoint
/// through the framework its metadata names.
/// </summary>
internal static class FrameworkModelOpener
{
    public static Func<string, IInferenceModel> For(ConduitHost host) => path =>
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"{full} does not exist; expected an .onnx file or a checkpoint", full);
        }
        string name = string.Equals(Path.GetExtension(full), ".onnx", StringComparison.OrdinalIgnoreCase) ? "onnx" : CheckpointFile.Read(full).Metadata.Framework;
        var frameworks = host.Plugins.ResolveAll<IFramework>(host.Services);
        IFramework framework = frameworks.FirstOrDefault(f => f.Name == name)
            ?? throw new NotSupportedException($"the '{name}' framework is not installed; available: {string.Join(", ", frameworks.Select(f => f.Name).DefaultIfEmpty("none"))}");
        return framework.LoadModel(full, new InferenceOptions());
    };
}
