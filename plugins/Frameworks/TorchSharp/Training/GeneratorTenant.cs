using TorchSharp;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>
/// One session's share of libtorch's default CPU generator, which dropout draws from and which the process has only
/// one of. Sessions take turns: the session that trains parks the previous owner's state and restores its own, so each
/// session's random stream depends only on its seed and its own steps, even when sessions are created side by side.
/// </summary>
/// <remarks>Sessions train one at a time; the turn-taking is for sessions that alternate, not for concurrent steps.</remarks>
internal sealed class GeneratorTenant : IDisposable
{
    private static readonly Lock Gate = new();
    private static GeneratorTenant? _current;
    private byte[]? _parked;

    /// <summary>Seeds the generator for this session (which takes it over), as <c>torch.manual_seed</c> does.</summary>
    public void Seed(long seed)
    {
        lock (Gate)
        {
            TakeOver();
            torch.manual_seed(seed);
        }
    }

    /// <summary>Makes the generator hold this session's stream; one reference comparison when it already does.</summary>
    public void Enter()
    {
        if (ReferenceEquals(Volatile.Read(ref _current), this))
        {
            return;
        }
        lock (Gate)
        {
            TakeOver();
        }
    }

    /// <summary>The state of this session's stream.</summary>
    public byte[] State
    {
        get
        {
            lock (Gate)
            {
                return ReferenceEquals(_current, this) ? Read() : (byte[])_parked!.Clone();
            }
        }
    }

    /// <summary>Replaces the state of this session's stream.</summary>
    public void Restore(byte[] state)
    {
        lock (Gate)
        {
            if (ReferenceEquals(_current, this))
            {
                Write(state);
            }
            else
            {
                _parked = (byte[])state.Clone();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (Gate)
        {
            if (ReferenceEquals(_current, this))
            {
                Volatile.Write(ref _current, null);
            }
        }
    }

    private void TakeOver()
    {
        if (ReferenceEquals(_current, this))
        {
            return;
        }
        if (_current is { } previous)
        {
            previous._parked = Read();
        }
        if (_parked is { } mine)
        {
            Write(mine);
            _parked = null;
        }
        Volatile.Write(ref _current, this);
    }

    private static byte[] Read()
    {
        using torch.Tensor state = torch.random.get_rng_state();
        return state.data<byte>().ToArray();
    }

    private static void Write(byte[] state)
    {
        using torch.Tensor tensor = torch.tensor(state);
        torch.random.set_rng_state(tensor);
    }
}
