namespace Conduit.DataSources.Common;

/// <summary>
/// What a source's check of its rows did with each one under a <see cref="DataErrorPolicy"/>: kept it, left it out
/// for a missing value (<c>missing: skip</c>), or found it bad — which stops the read, or under <c>on_error: skip</c>
/// is counted with the first few reasons, so the job can report what it left out.
/// </summary>
/// <param name="policy">The job's policy.</param>
/// <param name="file">The file's name, as messages start.</param>
public sealed class RowTally(DataErrorPolicy policy, string file)
{
    /// <summary>How many reasons are kept: enough to see the pattern, without holding every bad row.</summary>
    public const int MaxReasons = 5;

    private readonly List<string> _reasons = [];

    /// <summary>The rows kept.</summary>
    public long Kept { get; private set; }

    /// <summary>The rows left out for a missing value.</summary>
    public long MissingRows { get; private set; }

    /// <summary>The bad rows skipped.</summary>
    public long BadRows { get; private set; }

    /// <summary>The missing values replaced by <c>fill_value</c> (<c>missing: fill</c>).</summary>
    public long FilledValues { get; private set; }

    /// <summary>Why, for the first few bad rows.</summary>
    public IReadOnlyList<string> Reasons => _reasons;

    /// <summary>Counts a kept row.</summary>
    public void Keep() => Kept++;

    /// <summary>Counts a row left out for a missing value.</summary>
    public void LeaveOutMissing() => MissingRows++;

    /// <summary>Counts a missing value replaced by <c>fill_value</c>.</summary>
    public void Fill() => FilledValues++;

    /// <summary>A bad row: stops the read with <paramref name="problem"/>, or under <c>on_error: skip</c> counts it.</summary>
    /// <exception cref="InvalidDataException">The policy is <c>on_error: stop</c>.</exception>
    public void Bad(string problem)
    {
        if (!policy.SkipBadRows)
        {
            throw new InvalidDataException(problem);
        }
        BadRows++;
        if (_reasons.Count < MaxReasons)
        {
            _reasons.Add(problem);
        }
    }

    /// <summary>Throws when no row was kept, saying why; <paramref name="empty"/> is the message for a file without rows.</summary>
    /// <exception cref="InvalidDataException">No row was kept.</exception>
    public void ThrowIfNoneKept(string empty)
    {
        if (Kept > 0)
        {
            return;
        }
        throw new InvalidDataException((BadRows, MissingRows) switch
        {
            (0, 0) => empty,
            (_, 0) => $"{file}: all {BadRows} rows are bad and were skipped (on_error: skip); the first: {_reasons[0]}",
            (0, _) => $"{file}: all {MissingRows} rows have missing values and were skipped (missing: skip); expected at least one complete row",
            _ => $"{file}: all {BadRows + MissingRows} rows were left out ({BadRows} bad, {MissingRows} with missing values); expected at least one complete row; the first bad: {_reasons[0]}",
        });
    }
}
