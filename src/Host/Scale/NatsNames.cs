using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Conduit.Host.Scale;

/// <summary>
/// What a server and its workers share on NATS JetStream: a work-queue stream of jobs pulled by one durable consumer
/// (explicit acks, redelivery after the ack wait, at most the job's attempts), a stream of the jobs' events read by
/// the server's durable consumer, a core subject for cancel requests, a key-value bucket of worker heartbeats, one of
/// each job's newest attempt (<see cref="NatsAttemptFence"/>) and an object bucket of jobs' files (<see cref="NatsJobObjects"/>).
/// Only what nats-server 2.9 supports: one filter subject per consumer.
/// </summary>
internal static class NatsNames
{
    public const string JobsStream = "CONDUIT_JOBS";
    public const string EventsStream = "CONDUIT_EVENTS";
    public const string WorkersConsumer = "conduit-workers";
    public const string ServerConsumer = "conduit-server";
    public const string WorkersBucket = "conduit-workers";
    public const string AttemptsBucket = "conduit-attempts";
    public const string FilesBucket = "conduit-files";

    public static string Job(string id) => $"conduit.jobs.{id}";

    public static string Events(string id) => $"conduit.events.{id}";

    public static string Control(string id) => $"conduit.control.{id}";

    /// <summary>Creates (or brings up to date) the streams and consumers; the server does this when it starts.</summary>
    public static async Task SetUpAsync(INatsJSContext js, TimeSpan ackWait, int maxDeliver, CancellationToken cancellationToken)
    {
        await js.CreateOrUpdateStreamAsync(new StreamConfig(JobsStream, ["conduit.jobs.*"])
        {
            Retention = StreamConfigRetention.Workqueue,
            DuplicateWindow = TimeSpan.FromHours(1), // a job id submitted twice within the hour runs once
        }, cancellationToken).ConfigureAwait(false);
        await js.CreateOrUpdateStreamAsync(new StreamConfig(EventsStream, ["conduit.events.*"]) { MaxAge = TimeSpan.FromDays(7) }, cancellationToken).ConfigureAwait(false);
        await js.CreateOrUpdateConsumerAsync(JobsStream, new ConsumerConfig(WorkersConsumer)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = ackWait,
            MaxDeliver = maxDeliver,
        }, cancellationToken).ConfigureAwait(false);
        await js.CreateOrUpdateConsumerAsync(EventsStream, new ConsumerConfig(ServerConsumer)
        {
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            FilterSubject = "conduit.events.*",
        }, cancellationToken).ConfigureAwait(false);
    }
}
