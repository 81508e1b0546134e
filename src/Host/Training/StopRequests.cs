using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Training;

/// <summary>
/// The <see cref="StopRun"/> requests addressed to one run (EarlyStopping, a user's stop), taken between batches.
/// <c>min_epochs</c> outranks them: a request that comes too early is forgotten.
/// </summary>
internal sealed class StopRequests : IDisposable
{
    private readonly string _runId;
    private readonly int _minEpochs;
    private readonly IDisposable _subscription;
    private volatile StopRun? _request;

    public StopRequests(IServiceProvider services, string runId, int minEpochs)
    {
        _runId = runId;
        _minEpochs = minEpochs;
        _subscription = services.GetRequiredService<ISubscriber<StopRun>>().Subscribe(OnStopRun);
    }

    /// <summary>Whether a request came that has not been forgotten.</summary>
    public bool Pending => _request is not null;

    /// <summary>The request to honour at <paramref name="epoch"/>, or null (none, or forgotten before <c>min_epochs</c>).</summary>
    public StopRun? Honoured(int epoch)
    {
        StopRun? request = _request;
        if (request is not null && epoch < _minEpochs)
        {
            _request = null;
            return null;
        }
        return request;
    }

    public void Dispose() => _subscription.Dispose();

    private void OnStopRun(StopRun request)
    {
        if (request.RunId == _runId)
        {
            _request = request;
        }
    }
}
