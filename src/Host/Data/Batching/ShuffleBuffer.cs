using Conduit.Data;
using Conduit.DataSources.Common;

namespace Conduit.Host.Data;

/// <summary>
/// A bounded, seeded shuffle of a stream of examples: it fills up, then for each example that arrives sends out a
/// random held one and keeps the new one in its place; at the end the rest leave in random order.
/// </summary>
internal sealed class ShuffleBuffer
{
    private readonly BatchBuilder _slots;
    private SeededRandom _random;

    public ShuffleBuffer(DataSchema schema, int capacity, int targetWidth, int seed, int epoch)
    {
        _slots = new BatchBuilder(schema, capacity, targetWidth);
        _random = SeededRandom.ForEpoch(seed, epoch);
    }

    /// <summary>The examples held.</summary>
    public int Count => _slots.Count;

    /// <summary>Takes example <paramref name="index"/> of <paramref name="block"/>; once full, sends a random held one to <paramref name="output"/> first.</summary>
    public void Exchange(DataBatch block, int index, BatchBuilder output)
    {
        if (!_slots.IsFull)
        {
            _slots.Add(block, index);
            return;
        }
        int slot = _random.Next(_slots.Count);
        _slots.CopyTo(slot, output);
        _slots.Overwrite(slot, block, index);
    }

    /// <summary>Sends a random held example to <paramref name="output"/> and forgets it.</summary>
    public void TakeRandom(BatchBuilder output)
    {
        int slot = _random.Next(_slots.Count);
        _slots.CopyTo(slot, output);
        _slots.RemoveSwapLast(slot);
    }
}
