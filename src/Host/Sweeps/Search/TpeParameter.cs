using System.Text.Json.Nodes;

namespace Conduit.Host.Sweeps.Search;

/// <summary>
/// One parameter of a TPE step: l(x), fitted on the good trials' values, and g(x), on the bad trials'. Numbers are
/// modelled in the coordinate their space is uniform in (the logarithm for a log-uniform space); choices by counts.
/// </summary>
internal sealed class TpeParameter
{
    private readonly ParameterSpace _space;
    private readonly string[]? _choiceKeys;
    private readonly (ParzenEstimator Good, ParzenEstimator Bad)? _numeric;
    private readonly (CategoricalEstimator Good, CategoricalEstimator Bad)? _choice;

    /// <summary>Fits l on the values of <paramref name="good"/> and g on those of <paramref name="bad"/>.</summary>
    public TpeParameter(ParameterSpace space, IReadOnlyList<ParameterSet> good, IReadOnlyList<ParameterSet> bad)
    {
        _space = space;
        if (space is ChoiceSpace choice)
        {
            // A value is recognised by its JSON text, as a set's key is.
            _choiceKeys = [.. choice.Values.Select(v => v.ToJsonString())];
            _choice = (new CategoricalEstimator(Indices(good), _choiceKeys.Length), new CategoricalEstimator(Indices(bad), _choiceKeys.Length));
        }
        else
        {
            var (low, high) = Bounds(space);
            _numeric = (new ParzenEstimator(Coordinates(good, low, high), low, high), new ParzenEstimator(Coordinates(bad, low, high), low, high));
        }
    }

    /// <summary>A value drawn from l, and its score log l(x) - log g(x): the larger, the likelier it is a good one.</summary>
    public (JsonNode Value, double Score) Draw(Random random)
    {
        if (_choice is var (goodChoice, badChoice))
        {
            int index = goodChoice.Sample(random);
            return (((ChoiceSpace)_space).Values[index].DeepClone(), goodChoice.LogPdf(index) - badChoice.LogPdf(index));
        }
        var (good, bad) = _numeric!.Value;
        var (value, at) = Decode(good.Sample(random));
        return (value, good.LogPdf(at) - bad.LogPdf(at));
    }

    /// <summary>The range of the search coordinate; an integer owns the unit interval around it, so the ends are as likely as the rest.</summary>
    private static (double Low, double High) Bounds(ParameterSpace space) => space switch
    {
        UniformSpace u => (u.Min, u.Max),
        LogUniformSpace l => (Math.Log(l.Min), Math.Log(l.Max)),
        IntUniformSpace i => (i.Min - 0.5, i.Max + 0.5),
        _ => throw new ArgumentException($"Not a numeric space: {space.GetType().Name}.", nameof(space)),
    };

    /// <summary>The value for search coordinate <paramref name="x"/>, and the coordinate of that value (rounded, clamped).</summary>
    private (JsonNode Value, double At) Decode(double x)
    {
        switch (_space)
        {
            case LogUniformSpace l:
                double value = Math.Clamp(Math.Exp(x), l.Min, l.Max);
                return (JsonValue.Create(value), Math.Log(value));
            case IntUniformSpace i:
                long n = Math.Clamp((long)Math.Round(x, MidpointRounding.AwayFromZero), i.Min, i.Max);
                return (JsonValue.Create(n), n);
            default:
                return (JsonValue.Create(x), x);
        }
    }

    /// <summary>The search coordinates of the sets' values; values missing, not numbers or out of range (a changed space) are left out.</summary>
    private List<double> Coordinates(IReadOnlyList<ParameterSet> sets, double low, double high)
    {
        var coordinates = new List<double>(sets.Count);
        foreach (var set in sets)
        {
            if (SpaceSampler.AsNumber(SpaceSampler.ValueOf(set, _space.Path)) is double value)
            {
                double x = _space is LogUniformSpace ? Math.Log(value) : value;
                if (x >= low && x <= high)
                {
                    coordinates.Add(x);
                }
            }
        }
        return coordinates;
    }

    /// <summary>The choice indices of the sets' values; values that are not among the choices are left out.</summary>
    private List<int> Indices(IReadOnlyList<ParameterSet> sets)
    {
        var indices = new List<int>(sets.Count);
        foreach (var set in sets)
        {
            int index = SpaceSampler.ValueOf(set, _space.Path) is JsonNode value ? Array.IndexOf(_choiceKeys!, value.ToJsonString()) : -1;
            if (index >= 0)
            {
                indices.Add(index);
            }
        }
        return indices;
    }
}
