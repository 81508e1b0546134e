using TorchSharp.Modules;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>A model built from a <see cref="ModelSpec"/>: the module and its layers in forward order.</summary>
/// <param name="Module">The layers in sequence.</param>
/// <param name="Layers">The same layers, with their output shapes.</param>
internal sealed record BuiltModel(Sequential Module, IReadOnlyList<BuiltLayer> Layers);
