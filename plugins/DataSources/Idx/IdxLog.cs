using Microsoft.Extensions.Logging;

namespace Conduit.DataSources.Idx;

/// <summary>The idx source's log messages, source-generated.</summary>
internal static partial class IdxLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Opened {Path}: {Declared}{Compression}; examples of shape {FeatureShape}, target {Target}")]
    public static partial void Opened(ILogger logger, string path, string declared, string compression, string featureShape, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Left out {LeftOut} examples of {Path} holding NaN (missing: skip) and kept {Kept}")]
    public static partial void LeftOut(ILogger logger, long leftOut, string path, long kept);

    [LoggerMessage(Level = LogLevel.Information, Message = "Filled {Filled} NaN values of {Path} with {FillValue} (missing: fill)")]
    public static partial void Filled(ILogger logger, long filled, string path, float fillValue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checked {Examples} examples of {Path} for NaN in {Milliseconds:F1} ms")]
    public static partial void Checked(ILogger logger, long examples, string path, double milliseconds);
}
