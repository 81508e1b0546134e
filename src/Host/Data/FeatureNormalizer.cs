using System.Text.Json;

namespace Conduit.Host.Data;

/// <summary>
/// Per-feature scaling fitted on the training split and applied, unchanged, to every split and to what predict
/// reads, so that no statistic of validation or test data leaks into training.
/// </summary>
public sealed class FeatureNormalizer
{
    // A spread below ten machine epsilons is a constant feature plus rounding noise (scikit-learn's rule): dividing by it would blow up.
    private const double SmallestScale = 10 * 2.220446049250313e-16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly float[] _center;
    private readonly float[] _scale;

    private FeatureNormalizer(NormalizationKind kind, float[] center, float[] scale)
    {
        Kind = kind;
        _center = center;
        _scale = scale;
    }

    /// <summary>The normalizer that leaves features as they are.</summary>
    public static FeatureNormalizer None { get; } = new(NormalizationKind.None, [], []);

    /// <summary>The normalization.</summary>
    public NormalizationKind Kind { get; }

    /// <summary>The number of features per example it was fitted on (0 for <see cref="None"/>).</summary>
    public int FeatureCount => _center.Length;

    /// <summary>The fitted statistics, as a copy.</summary>
    public NormalizerState State => new(Kind, (float[])_center.Clone(), (float[])_scale.Clone());

    /// <summary>Fits <paramref name="kind"/> on <paramref name="train"/>: per feature, over every training example.</summary>
    /// <exception cref="ArgumentException"><paramref name="train"/> has no examples to fit on.</exception>
    public static FeatureNormalizer Fit(NormalizationKind kind, InMemoryDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (kind == NormalizationKind.None)
        {
            return None;
        }
        if (train.Length == 0)
        {
            throw new ArgumentException("Cannot fit a normalizer on a dataset without examples.", nameof(train));
        }
        var fitter = new NormalizerFitter(kind, checked((int)train.Schema.FeatureShape.ElementCount));
        fitter.AddExamples(train.Features);
        return fitter.Build();
    }

    /// <summary>A normalizer from per-feature centers and spreads; a spread too small to divide by becomes 1.</summary>
    internal static FeatureNormalizer FromStatistics(NormalizationKind kind, float[] center, double[] spread)
    {
        var scale = new float[spread.Length];
        for (int j = 0; j < scale.Length; j++)
        {
            scale[j] = spread[j] < SmallestScale ? 1f : (float)spread[j];
        }
        return new FeatureNormalizer(kind, center, scale);
    }

    /// <summary>Rebuilds a normalizer from its <see cref="State"/>.</summary>
    /// <exception cref="InvalidDataException">The state is inconsistent (lengths differ, a scale is 0 or not finite).</exception>
    public static FeatureNormalizer FromState(NormalizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Kind == NormalizationKind.None)
        {
            return None;
        }
        if (state.Center is null || state.Scale is null || state.Center.Length != state.Scale.Length || state.Center.Length == 0)
        {
            throw new InvalidDataException($"The {Name(state.Kind)} normalizer needs one center and one scale per feature; it has {state.Center?.Length ?? 0} and {state.Scale?.Length ?? 0}.");
        }
        for (int j = 0; j < state.Scale.Length; j++)
        {
            if (!float.IsFinite(state.Center[j]) || !float.IsFinite(state.Scale[j]) || state.Scale[j] == 0)
            {
                throw new InvalidDataException($"The {Name(state.Kind)} normalizer's feature {j} has center {state.Center[j]} and scale {state.Scale[j]}; expected finite numbers and a scale other than 0.");
            }
        }
        return new FeatureNormalizer(state.Kind, (float[])state.Center.Clone(), (float[])state.Scale.Clone());
    }

    /// <summary>The state as JSON: <c>{"kind":"standardize","center":[...],"scale":[...]}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(State, Json);

    /// <summary>Reads a normalizer written by <see cref="ToJson"/>; null or empty JSON gives <see cref="None"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a normalizer's state.</exception>
    public static FeatureNormalizer FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return None;
        }
        NormalizerState? state;
        try
        {
            state = JsonSerializer.Deserialize<NormalizerState>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The normalizer's JSON is not valid: {e.Message}", e);
        }
        return FromState(state ?? throw new InvalidDataException("The normalizer's JSON is null."));
    }

    /// <summary>A copy of <paramref name="data"/> with its features normalized (<paramref name="data"/> itself for <see cref="None"/>).</summary>
    /// <exception cref="ArgumentException">The data has another number of features per example than the normalizer was fitted on.</exception>
    public InMemoryDataset Apply(InMemoryDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Kind == NormalizationKind.None)
        {
            return data;
        }
        CheckSize(data.Schema.FeatureShape.ElementCount);
        return data.MapFeatures(Apply);
    }

    /// <summary>Normalizes <paramref name="data"/>'s features in place and returns it: for data nothing else reads (a split's parts, an aligned copy).</summary>
    internal InMemoryDataset ApplyInPlace(InMemoryDataset data)
    {
        if (Kind != NormalizationKind.None)
        {
            CheckSize(data.Schema.FeatureShape.ElementCount);
            data.MapFeaturesInPlace(Apply);
        }
        return data;
    }

    /// <summary>Normalizes examples in place: <paramref name="features"/> holds whole examples back to back (predict's input).</summary>
    /// <exception cref="ArgumentException">The length is not a whole number of examples.</exception>
    public void Apply(Span<float> features)
    {
        if (Kind == NormalizationKind.None)
        {
            return;
        }
        int size = _center.Length;
        if (features.Length % size != 0)
        {
            throw new ArgumentException($"{features.Length} values are not a whole number of examples of {size} features.", nameof(features));
        }
        for (int start = 0; start < features.Length; start += size)
        {
            Span<float> row = features.Slice(start, size);
            for (int j = 0; j < size; j++)
            {
                row[j] = (row[j] - _center[j]) / _scale[j];
            }
        }
    }

    private void CheckSize(long featureCount)
    {
        if (featureCount != _center.Length)
        {
            throw new ArgumentException($"The {Name(Kind)} normalizer was fitted on {_center.Length} features per example, but the data has {featureCount}.");
        }
    }

    private static string Name(NormalizationKind kind) => kind switch
    {
        NormalizationKind.Standardize => "standardize",
        NormalizationKind.MinMax => "minmax",
        _ => "none",
    };
}
