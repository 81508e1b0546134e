using TorchSharp;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>One layer of a built model, as the summary shows it.</summary>
/// <param name="Name">Its name in the model (<c>fc1</c>, <c>act1</c>).</param>
/// <param name="Module">The module.</param>
/// <param name="OutputShape">Its output for one example (the batch axis left out).</param>
internal sealed record BuiltLayer(string Name, torch.nn.Module<torch.Tensor, torch.Tensor> Module, IReadOnlyList<long> OutputShape);
