using Conduit.Frameworks;

namespace Conduit.Host.Server.Serving;

/// <summary>The models the server answers predictions for, each behind its own <see cref="DynamicBatcher"/>.</summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, ServedModel> _models = new(StringComparer.Ordinal);

    /// <summary>Opens each of <paramref name="models"/> (name to path) with <paramref name="open"/>, failing on the first that does not open.</summary>
    /// <exception cref="ArgumentException">A model did not open; the message names it and its path.</exception>
    public static ModelRegistry Open(IEnumerable<KeyValuePair<string, string>> models, Func<string, IInferenceModel> open, int maxBatchSize, TimeSpan maxWait)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(open);
        var registry = new ModelRegistry();
        foreach (var (name, path) in models)
        {
            IInferenceModel model;
            try
            {
                model = open(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or NotSupportedException or InvalidOperationException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"--model {name}={path}: {e.Message}", nameof(models), e);
            }
            registry.Add(name, path, model, maxBatchSize, maxWait);
        }
        return registry;
    }

    /// <summary>Serves <paramref name="model"/> (owned from now on) as <paramref name="name"/>.</summary>
    public ServedModel Add(string name, string path, IInferenceModel model, int maxBatchSize, TimeSpan maxWait)
    {
        var batcher = new DynamicBatcher(model, maxBatchSize, maxWait);
        var served = new ServedModel(name, path, model, batcher);
        _models.Add(name, served);
        batcher.Start();
        return served;
    }

    /// <summary>The served models.</summary>
    public IReadOnlyCollection<ServedModel> Models => _models.Values;

    /// <summary>The model served as <paramref name="name"/>, if any.</summary>
    public ServedModel? Find(string name) => _models.GetValueOrDefault(name);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (ServedModel model in _models.Values)
        {
            await model.Batcher.DisposeAsync().ConfigureAwait(false);
            model.Model.Dispose();
        }
        _models.Clear();
    }
}

/// <summary>A model being served.</summary>
/// <param name="Name">The name in <c>/api/models/{name}/predict</c>.</param>
/// <param name="Path">The file it was opened from.</param>
/// <param name="Model">The model.</param>
/// <param name="Batcher">What gathers its requests.</param>
public sealed record ServedModel(string Name, string Path, IInferenceModel Model, DynamicBatcher Batcher);
