namespace Conduit.DataSources.Idx;

/// <summary>What one checking pass did with the examples: kept, left out for a NaN (<c>missing: skip</c>), values filled.</summary>
internal sealed class IdxTally
{
    /// <summary>The examples kept.</summary>
    public long Kept { get; private set; }

    /// <summary>The examples left out for a NaN.</summary>
    public long LeftOut { get; private set; }

    /// <summary>The NaN values replaced by <c>fill_value</c>.</summary>
    public long Filled { get; private set; }

    /// <summary>Counts a kept example.</summary>
    public void Keep() => Kept++;

    /// <summary>Counts an example left out.</summary>
    public void LeaveOut() => LeftOut++;

    /// <summary>Counts a filled value.</summary>
    public void Fill() => Filled++;
}
