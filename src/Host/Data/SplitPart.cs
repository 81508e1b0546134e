namespace Conduit.Host.Data;

/// <summary>
/// A part of a split decided row by row from a hash of the seed and the row's position, so a stream is split in one
/// pass without holding anything: the test part takes rows whose number falls below the test fraction, validation
/// the next band, training the rest. Part sizes are close to, not exactly, the fractions (as TFDS's hash splits).
/// </summary>
/// <param name="Seed">The split's seed.</param>
/// <param name="From">The band's lower end in [0, 1].</param>
/// <param name="To">The band's upper end in [0, 1].</param>
internal sealed record SplitPart(int Seed, double From, double To)
{
    /// <summary>The three parts of <paramref name="split"/>: train, validation, test.</summary>
    public static (SplitPart Train, SplitPart Validation, SplitPart Test) Of(SplitSettings split)
    {
        double test = split.Test;
        double validation = test + split.Validation;
        return (new SplitPart(split.Seed, validation, 1), new SplitPart(split.Seed, test, validation), new SplitPart(split.Seed, 0, test));
    }

    /// <summary>Whether row <paramref name="row"/> (0-based, in storage order) belongs to this part.</summary>
    public bool Contains(long row)
    {
        double u = SeededShuffle.Uniform(Seed, row);
        return u >= From && u < To;
    }
}
