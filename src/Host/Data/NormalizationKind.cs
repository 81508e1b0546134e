using System.Text.Json.Serialization;

namespace Conduit.Host.Data;

/// <summary>How features are scaled before training (<c>data.normalize</c>); fitted on the training split only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NormalizationKind>))]
public enum NormalizationKind
{
    /// <summary><c>none</c>: features are used as read.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary><c>standardize</c>: per feature, subtract the mean and divide by the (population) standard deviation.</summary>
    [JsonStringEnumMemberName("standardize")]
    Standardize,

    /// <summary><c>minmax</c>: per feature, map the training minimum to 0 and the maximum to 1.</summary>
    [JsonStringEnumMemberName("minmax")]
    MinMax,
}
