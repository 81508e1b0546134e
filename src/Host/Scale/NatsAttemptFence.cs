using System.Globalization;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Conduit.Host.Scale;

/// <summary>
/// The newest attempt of each job, in a key-value bucket: a worker claims its attempt before it starts (compare-and-set,
/// so two claims never both win) and checks it before each upload. A worker cut off but alive (its delivery handed to
/// another after the ack wait) finds a newer attempt there: it writes nothing more, and the server drops its end.
/// </summary>
internal sealed class NatsAttemptFence(INatsKVStore bucket)
{
    public static async Task<NatsAttemptFence> OpenAsync(INatsJSContext js, CancellationToken cancellationToken) =>
        new(await new NatsKVContext(js).CreateOrUpdateStoreAsync(
            new NatsKVConfig(NatsNames.AttemptsBucket) { MaxAge = TimeSpan.FromDays(30) }, cancellationToken).ConfigureAwait(false));

    /// <summary>Records <paramref name="attempt"/> as job <paramref name="jobId"/>'s newest; false when a newer one has started already.</summary>
    public async Task<bool> ClaimAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                NatsKVEntry<string> entry = await bucket.GetEntryAsync<string>(jobId, cancellationToken: cancellationToken).ConfigureAwait(false);
                int newest = Parse(entry.Value);
                if (newest >= attempt)
                {
                    return newest == attempt;
                }
                await bucket.UpdateAsync(jobId, Text(attempt), entry.Revision, cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (NatsKVKeyNotFoundException)
            {
                if (await TryCreateAsync(jobId, attempt, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (NatsKVWrongLastRevisionException)
            {
                // Another attempt claimed in between: read again.
            }
        }
    }

    /// <summary>Job <paramref name="jobId"/>'s newest attempt; 0 when none has claimed.</summary>
    public async Task<int> NewestAsync(string jobId, CancellationToken cancellationToken)
    {
        try
        {
            return Parse((await bucket.GetEntryAsync<string>(jobId, cancellationToken: cancellationToken).ConfigureAwait(false)).Value);
        }
        catch (NatsKVKeyNotFoundException)
        {
            return 0;
        }
    }

    private async Task<bool> TryCreateAsync(string jobId, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await bucket.CreateAsync(jobId, Text(attempt), cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NatsKVCreateException)
        {
            return false; // created by another attempt in between
        }
    }

    private static int Parse(string? value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int attempt) ? attempt : 0;

    private static string Text(int attempt) => attempt.ToString(CultureInfo.InvariantCulture);
}
