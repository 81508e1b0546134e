using System.Runtime.CompilerServices;

namespace Conduit.Host.Messaging;

/// <summary>
/// How many messages one publishing thread has published to one topic. Only that thread writes it, so counting a
/// publish costs a plain store instead of an interlocked increment, which was most of the cost of a one-handler
/// publish. Each thread finds its counts in a thread-static array indexed by topic.
/// </summary>
internal sealed class PublishCount
{
    // Indexed by topic, not a single cached entry, so that a thread publishing to several topics (or buses) finds
    // each of its counts without a lookup.
    [ThreadStatic]
    private static PublishCount?[]? t_byTopic;

    private static int s_lastTopicIndex = -1;

    /// <summary>Written by the owning thread with volatile writes; read by diagnostics with volatile reads.</summary>
    public long Value;

    /// <summary>A process-wide index for a new topic, its slot in every thread's array.</summary>
    public static int NewTopicIndex() => Interlocked.Increment(ref s_lastTopicIndex);

    /// <summary>This thread's count for the topic at <paramref name="topicIndex"/>, if it has published there before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PublishCount? OfThisThread(int topicIndex)
    {
        PublishCount?[]? counts = t_byTopic;
        return counts is not null && (uint)topicIndex < (uint)counts.Length ? counts[topicIndex] : null;
    }

    /// <summary>Remembers this thread's count for the topic at <paramref name="topicIndex"/>.</summary>
    public static void SetForThisThread(int topicIndex, PublishCount count)
    {
        PublishCount?[]? counts = t_byTopic;
        if (counts is null || counts.Length <= topicIndex)
        {
            Array.Resize(ref counts, Math.Max(16, Math.Max(topicIndex + 1, (counts?.Length ?? 0) * 2)));
            t_byTopic = counts;
        }
        counts[topicIndex] = count;
    }
}
