namespace Conduit.Host.Data;

/// <summary>
/// An array filled block by block, allocated once at the expected size (List.ToArray would hold the data twice);
/// it grows by doubling only when a source yields more than it announced.
/// </summary>
/// <remarks>
/// Allocated uninitialized: every element is written before it is read (only <see cref="Filled"/> is handed out), and
/// zeroing 188 MB of MNIST-sized features first was a whole extra pass over memory (about 0.1 s of start-up).
/// </remarks>
internal sealed class GrowingArray<T>(int expected)
    where T : unmanaged
{
    private T[] _items = expected > 0 ? GC.AllocateUninitializedArray<T>(expected) : [];
    private int _count;

    /// <summary>What was added: a slice of the array, so a shorter pass than announced costs no copy.</summary>
    public Memory<T> Filled => _items.AsMemory(0, _count);

    public void Add(ReadOnlySpan<T> items)
    {
        if (_items.Length - _count < items.Length)
        {
            int size = (int)Math.Min(Array.MaxLength, Math.Max((long)_count + items.Length, 2L * _items.Length));
            T[] larger = GC.AllocateUninitializedArray<T>(size);
            _items.AsSpan(0, _count).CopyTo(larger);
            _items = larger;
        }
        items.CopyTo(_items.AsSpan(_count));
        _count += items.Length;
    }
}
