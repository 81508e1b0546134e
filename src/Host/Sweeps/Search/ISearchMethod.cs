namespace Conduit.Host.Sweeps.Search;

/// <summary>A trial the search has seen: its parameters and, once it has ended, the loss it reached.</summary>
/// <param name="Parameters">The trial's parameters.</param>
/// <param name="Loss">The objective to minimize (a metric to maximize arrives negated); null while the trial runs.</param>
public sealed record Observation(ParameterSet Parameters, double? Loss);

/// <summary>How a sweep chooses its next trial: grid, random or TPE.</summary>
public interface ISearchMethod
{
    /// <summary>
    /// The parameters of trial <paramref name="trial"/> (numbered from 0), given every trial started so far (ended or
    /// running); never a set already in <paramref name="history"/>. Null when no untried set remains.
    /// </summary>
    ParameterSet? Suggest(int trial, IReadOnlyList<Observation> history);
}
