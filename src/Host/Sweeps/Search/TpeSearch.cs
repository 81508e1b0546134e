using System.Text.Json.Nodes;

namespace Conduit.Host.Sweeps.Search;

/// <summary>
/// The Tree-structured Parzen Estimator (Bergstra et al. 2011, as Optuna and Hyperopt run it, each parameter on its
/// own): after a few random trials, it splits the trials into the best few ("good") and the rest ("bad"), models
/// each parameter's values in both groups, and suggests, among candidates drawn from the good model, the one most
/// likelier under it than under the bad. Running trials count as the worst seen so far (the "constant liar"), so
/// parallel workers are steered away from the points already being tried rather than all handed the same one.
/// </summary>
public sealed class TpeSearch : ISearchMethod
{
    private readonly ParameterSpace[] _spaces;
    private readonly int _seed;
    private readonly int _startupTrials;
    private readonly int _candidates;

    /// <summary>A TPE search over <paramref name="spaces"/>, reproducible from <paramref name="seed"/> given the same history.</summary>
    /// <param name="spaces">The swept parameters.</param>
    /// <param name="seed">The sweep's seed; trial n draws from a generator seeded by it and n alone.</param>
    /// <param name="startupTrials">How many trials must have ended (random draws until then) before the models are used; at least 1.</param>
    /// <param name="candidates">How many candidates are drawn from the good model per suggestion; at least 1.</param>
    /// <exception cref="ArgumentException">A space cannot be drawn from, or a path is swept twice.</exception>
    public TpeSearch(IReadOnlyList<ParameterSpace> spaces, int seed, int startupTrials = 8, int candidates = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startupTrials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        _spaces = SpaceSampler.Validate(spaces);
        _seed = seed;
        _startupTrials = startupTrials;
        _candidates = candidates;
    }

    /// <inheritdoc/>
    public ParameterSet? Suggest(int trial, IReadOnlyList<Observation> history)
    {
        var taken = SpaceSampler.Keys(history);
        var random = TrialRandom.For(_seed, trial);
        if (history.Count(o => o.Loss is not null) < _startupTrials)
        {
            return SpaceSampler.DrawUntaken(_spaces, random, taken);
        }
        var (good, bad) = Split(history);
        var values = new JsonNode[_candidates][];
        var scores = new double[_candidates];
        for (int c = 0; c < _candidates; c++)
        {
            values[c] = new JsonNode[_spaces.Length];
        }
        for (int p = 0; p < _spaces.Length; p++)
        {
            var parameter = new TpeParameter(_spaces[p], good, bad);
            for (int c = 0; c < _candidates; c++)
            {
                (values[c][p], double score) = parameter.Draw(random);
                scores[c] += score;
            }
        }
        // Best score first; equal scores keep their drawing order, so the choice depends on the seed and history alone.
        var order = Enumerable.Range(0, _candidates).OrderByDescending(c => scores[c]).ThenBy(c => c);
        foreach (int c in order)
        {
            var set = new ParameterSet(_spaces.Select((s, p) => KeyValuePair.Create(s.Path, values[c][p])).ToList());
            if (!taken.Contains(set.Key))
            {
                return set;
            }
        }
        return SpaceSampler.DrawUntaken(_spaces, random, taken);
    }

    /// <summary>
    /// The good trials (the best gamma(n) = min(ceil(n / 4), 25) of the n, at least one) and the bad (the rest), running
    /// trials ranked as if they had ended with the worst loss seen, after every trial that did.
    /// </summary>
    private static (List<ParameterSet> Good, List<ParameterSet> Bad) Split(IReadOnlyList<Observation> history)
    {
        // A loss that is not a number (a diverged trial) ranks as the worst there is.
        static double Rank(double loss) => double.IsNaN(loss) ? double.PositiveInfinity : loss;
        double worst = history.Where(o => o.Loss is not null).Max(o => Rank(o.Loss!.Value));
        var ranked = Enumerable.Range(0, history.Count)
            .OrderBy(i => history[i].Loss is double loss ? Rank(loss) : worst)
            .ThenBy(i => history[i].Loss is null)
            .ThenBy(i => i)
            .Select(i => history[i].Parameters)
            .ToList();
        int goodCount = Math.Max(1, Math.Min((int)Math.Ceiling(0.25 * ranked.Count), 25));
        return (ranked[..goodCount], ranked[goodCount..]);
    }
}
