using System.Text.Json.Nodes;

namespace Conduit.Host.Sweeps.Search;

/// <summary>
/// Every combination of the sweep's choices, in odometer order (the last parameter varies fastest). Each trial takes
/// the first combination not yet in the history, so a restarted controller carries on where it stopped.
/// </summary>
public sealed class GridSearch : ISearchMethod
{
    private readonly ChoiceSpace[] _spaces;

    /// <summary>A grid over <paramref name="spaces"/>, which must all be <see cref="ChoiceSpace"/>s.</summary>
    /// <exception cref="ArgumentException">A space is not a choice, has no values, or a path is swept twice.</exception>
    public GridSearch(IReadOnlyList<ParameterSpace> spaces)
    {
        var valid = SpaceSampler.Validate(spaces);
        _spaces = new ChoiceSpace[valid.Length];
        for (int i = 0; i < valid.Length; i++)
        {
            _spaces[i] = valid[i] as ChoiceSpace ?? throw new ArgumentException(
                $"A grid search needs a list of values for every parameter; '{valid[i].Path}' is a range.", nameof(spaces));
        }
    }

    /// <inheritdoc/>
    public ParameterSet? Suggest(int trial, IReadOnlyList<Observation> history)
    {
        var taken = SpaceSampler.Keys(history);
        // Only as many points as are taken can come before the first free one, so this walk is short.
        var digits = new int[_spaces.Length];
        do
        {
            var set = At(digits);
            if (!taken.Contains(set.Key))
            {
                return set;
            }
        }
        while (Advance(digits));
        return null;
    }

    private ParameterSet At(int[] digits)
    {
        var values = new KeyValuePair<string, JsonNode>[_spaces.Length];
        for (int i = 0; i < _spaces.Length; i++)
        {
            values[i] = KeyValuePair.Create(_spaces[i].Path, _spaces[i].Values[digits[i]]);
        }
        return new ParameterSet(values);
    }

    /// <summary>Turns the odometer one step; false once it has gone all the way round.</summary>
    private bool Advance(int[] digits)
    {
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            if (++digits[i] < _spaces[i].Values.Count)
            {
                return true;
            }
            digits[i] = 0;
        }
        return false;
    }
}
