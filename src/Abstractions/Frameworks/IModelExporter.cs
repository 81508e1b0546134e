namespace Conduit.Frameworks;

/// <summary>
/// Implemented by a training session whose model can be written in another framework's format (ONNX, ...), so that
/// a model trained in the host runs wherever that format runs. Its framework lists the formats
/// (<see cref="ITrainingFramework.ExportFormats"/>).
/// </summary>
public interface IModelExporter
{
    /// <summary>
    /// Writes the model, in evaluation form, with <paramref name="request"/>'s preprocessing and labels inside it,
    /// so that a consumer needs nothing else.
    /// </summary>
    /// <exception cref="NotSupportedException">The format is not supported, or a layer has no equivalent in it; the message names the layer and its type.</exception>
    void Export(ModelExportRequest request, Stream destination);
}
