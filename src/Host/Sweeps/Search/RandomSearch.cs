namespace Conduit.Host.Sweeps.Search;

/// <summary>
/// Independent uniform draws (log-uniform for <see cref="LogUniformSpace"/>). Trial n draws from a generator seeded by
/// the sweep's seed and n alone, so a restarted sweep suggests the same trials.
/// </summary>
public sealed class RandomSearch : ISearchMethod
{
    private readonly ParameterSpace[] _spaces;
    private readonly int _seed;

    /// <summary>A random search over <paramref name="spaces"/>, reproducible from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">A space cannot be drawn from, or a path is swept twice.</exception>
    public RandomSearch(IReadOnlyList<ParameterSpace> spaces, int seed)
    {
        _spaces = SpaceSampler.Validate(spaces);
        _seed = seed;
    }

    /// <inheritdoc/>
    /// <remarks>A draw already in the history is drawn again (from the same generator) up to 1000 times.</remarks>
    public ParameterSet? Suggest(int trial, IReadOnlyList<Observation> history) =>
        SpaceSampler.DrawUntaken(_spaces, TrialRandom.For(_seed, trial), SpaceSampler.Keys(history));
}
