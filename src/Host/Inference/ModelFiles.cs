using Conduit.Frameworks;
using Conduit.Host.Checkpoints;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Inference;

/// <summary>
/// Opens any model file for inference, whatever wrote it: a Conduit checkpoint (recognized by its magic) through the
/// framework that trained it, anything else through the framework plugins that load model files (ONNX Runtime).
/// </summary>
public static class ModelFiles
{
    /// <summary>Whether <paramref name="path"/> starts like a Conduit checkpoint.</summary>
    public static bool IsCheckpoint(string path)
    {
        Span<byte> head = stackalloc byte[11];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual("CONDUITCKPT"u8);
    }

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a model any loaded framework reads; the message names the file and why.</exception>
    public static IInferenceModel Open(ConduitHost host, string path, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such model file.", path);
        }
        if (IsCheckpoint(path))
        {
            try
            {
                return CheckpointModel.Open(path, host.Plugins.ResolveAll<ITrainingFramework>(host.Services), options);
            }
            catch (CheckpointCorruptException e)
            {
                throw new InvalidDataException(e.Message, e);
            }
        }
        IInferenceFramework? loader = host.Plugins.ResolveAll<IInferenceFramework>(host.Services).FirstOrDefault()
            ?? throw new InvalidDataException($"{path}: not a Conduit checkpoint, and no framework plugin that loads model files is loaded (the onnx plugin does: {PluginState(host, "onnx")}).");
        return loader.LoadModel(path, options);
    }

    /// <summary>
    /// Opens <paramref name="path"/> to predict with, read as <paramref name="hints"/> (predict's options), the sidecar
    /// beside it (<see cref="ModelSidecar"/>) and its own metadata say, in that order: <c>predict</c> and <c>serve</c>
    /// open every model this way.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a model, or the hints or sidecar do not fit it; one line naming the file and why.</exception>
    public static InterpretedModel OpenToPredict(ConduitHost host, string path, InferenceOptions options, ModelHints hints)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hints);
        ModelHints given = hints.Over(ModelSidecar.Read(path));
        // The framework binds the input and output named; the interpretation then reads the same ones.
        var names = new Dictionary<string, string?>();
        if (given.Input is { } input)
        {
            names["input"] = input;
        }
        if (given.Output is { } output)
        {
            names["output"] = output;
        }
        var builder = new ConfigurationBuilder();
        if (options.Settings is { } settings)
        {
            builder.AddConfiguration(settings);
        }
        IInferenceModel model = Open(host, path, options with { Settings = builder.AddInMemoryCollection(names).Build() });
        try
        {
            return InterpretedModel.Of(model, path, given);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string PluginState(ConduitHost host, string id) =>
        host.Plugins.Find(id) is { } plugin ? $"{plugin.Status.ToString().ToLowerInvariant()}{(plugin.Reason is { } reason ? $", {reason}" : "")}" : "not found in the plugin folders";
}
