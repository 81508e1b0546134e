using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>
/// <c>model.type: torchscript</c>, <c>model.path: model.pt</c>: a module PyTorch scripted and saved
/// (<c>torch.jit.save(torch.jit.script(module), ...)</c>), trained as it is: its own layers and initial weights, one
/// example in (the data's feature shape, a batch axis first), one output per class or regression target out. Its
/// weights checkpoint and resume like any model's; being opaque, it neither exports to ONNX nor shows its layers.
/// </summary>
internal sealed class TorchScriptArchitecture : ITorchArchitecture
{
    /// <inheritdoc/>
    public string Name => "torchscript";

    /// <inheritdoc/>
    public nn.Module<Tensor, Tensor> Build(TorchArchitectureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string path = context.Settings.FilePath("path")
            ?? throw new ArgumentException("model.path: is missing; expected the TorchScript file to train (torch.jit.save of a scripted module)");
        if (!File.Exists(path))
        {
            throw new ArgumentException($"model.path: '{path}' does not exist; expected a TorchScript file (torch.jit.save of a scripted module)");
        }
        jit.ScriptModule<Tensor, Tensor> script;
        try
        {
            script = jit.load<Tensor, Tensor>(path);
        }
        catch (Exception e) when (e is ExternalException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"model.path: {Path.GetFileName(path)} is not a TorchScript module libtorch can load: {e.Message.Split('\n')[0]}", e);
        }
        return new ScriptedModel(script);
    }

    /// <summary>
    /// The scripted module as a layer. Its parameters and buffers are registered as this module's own (dots read as
    /// underscores): TorchSharp walks registered submodules when it disposes them, and a script module's native
    /// children are gone by then, so the script itself is held apart and disposed last.
    /// </summary>
    private sealed class ScriptedModel : nn.Module<Tensor, Tensor>
    {
        private readonly Holder _script;

        public ScriptedModel(jit.ScriptModule<Tensor, Tensor> script) : base("torchscript")
        {
            _script = new Holder(script);
            foreach (var (name, parameter) in script.named_parameters())
            {
                register_parameter(name.Replace('.', '_'), parameter);
            }
            foreach (var (name, buffer) in script.named_buffers())
            {
                register_buffer(name.Replace('.', '_'), buffer);
            }
        }

        public override Tensor forward(Tensor input) => _script.Module.forward(input);

        public override void train(bool on = true)
        {
            _script.Module.train(on);
            base.train(on);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                _script.Module.Dispose();
            }
        }

        // Not a Module-typed field, so that nothing registers or walks it.
        private sealed record Holder(jit.ScriptModule<Tensor, Tensor> Module);
    }
}
