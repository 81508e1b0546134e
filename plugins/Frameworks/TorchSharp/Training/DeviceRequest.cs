using System.Globalization;

namespace Conduit.Frameworks.TorchSharp.Training;

/// <summary>The device a session was asked for: <c>cpu</c>, <c>cpu:0</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
/// <param name="Text">The device as given.</param>
/// <param name="IsCuda">Whether it names a CUDA device.</param>
/// <param name="Index">The CUDA device index.</param>
internal sealed record DeviceRequest(string Text, bool IsCuda, int Index)
{
    /// <summary>Parses <paramref name="text"/>; null when it names no device this adapter knows.</summary>
    public static DeviceRequest? Parse(string? text)
    {
        string device = (text ?? "").Trim().ToLowerInvariant();
        if (device is "cpu" or "cpu:0")
        {
            return new DeviceRequest(device, false, 0);
        }
        if (device == "cuda")
        {
            return new DeviceRequest(device, true, 0);
        }
        if (device.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(device.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return new DeviceRequest(device, true, index);
        }
        return null;
    }
}
