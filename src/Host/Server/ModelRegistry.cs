using System.Collections.Concurrent;
using Conduit.Frameworks;
using Conduit.Host.Inference;

namespace Conduit.Host.Server;

/// <summary>
/// The models the server answers predict requests for, by name: ONNX files or checkpoints, opened on first use
/// (through the same <see cref="ModelFiles.OpenToPredict"/> as <c>conduit predict</c>, so a model from elsewhere is read
/// as its sidecar file says) with a dynamic batcher each.
/// </summary>
public sealed class ModelRegistry(ConduitHost host, ServerOptions options) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _paths = new(options.Models, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<ServedModel>> _served = new(StringComparer.Ordinal);

    /// <summary>A model being served: the model and its batcher.</summary>
    public sealed record ServedModel(string Name, string Path, InterpretedModel Model, DynamicBatcher Batcher);

    /// <summary>The registered names and files.</summary>
    public IReadOnlyDictionary<string, string> Paths => _paths;

    /// <summary>Serves <paramref name="path"/> as <paramref name="name"/>, replacing an earlier model of that name.</summary>
    public void Register(string name, string path)
    {
        _paths[name] = Path.GetFullPath(path);
        if (_served.TryRemove(name, out Lazy<ServedModel>? old) && old.IsValueCreated)
        {
            // Requests already queued to the old batcher are answered before it closes.
            _ = old.Value.Batcher.DisposeAsync().AsTask();
        }
    }

    /// <summary>The served model <paramref name="name"/>, opened on first use; null when no such model is registered.</summary>
    /// <exception cref="InvalidDataException">The file cannot be opened as a model.</exception>
    public ServedModel? Get(string name)
    {
        if (!_paths.TryGetValue(name, out string? path))
        {
            return null;
        }
        Lazy<ServedModel> lazy = _served.GetOrAdd(name, n => new Lazy<ServedModel>(() =>
        {
            InterpretedModel model = ModelFiles.OpenToPredict(host, path, new InferenceOptions(), ModelHints.None);
            return new ServedModel(n, path, model, new DynamicBatcher(n, model, options.Batching));
        }));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _served.TryRemove(name, out _);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (Lazy<ServedModel> served in _served.Values.Where(l => l.IsValueCreated))
        {
            await served.Value.Batcher.DisposeAsync().ConfigureAwait(false);
        }
    }
}
