using System.Globalization;
using Conduit.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace Conduit.Frameworks.Onnx;

/// <summary>How an ONNX Runtime session is made (device, threads, graph optimization, execution mode) and which input and output it binds.</summary>
/// <param name="Device">The device asked for: <c>cpu</c> or <c>cuda:N</c>.</param>
/// <param name="IntraOpThreads">Threads within an operator; 0 for ONNX Runtime's default (one per core).</param>
/// <param name="InterOpThreads">Threads across operators (parallel mode); 0 for the default.</param>
/// <param name="OptimizationLevel">How much ONNX Runtime rewrites the graph before running it.</param>
/// <param name="Mode">Sequential or parallel execution of independent operators.</param>
internal sealed record OnnxSessionSettings(string Device, int IntraOpThreads, int InterOpThreads, GraphOptimizationLevel OptimizationLevel, ExecutionMode Mode)
{
    /// <summary>The input that takes the features (<c>input</c>); null: the model's only input.</summary>
    public string? Input { get; init; }

    /// <summary>The output to read (<c>output</c>); null: the model's first output.</summary>
    public string? Output { get; init; }

    /// <summary>The CUDA device index, or null for the CPU.</summary>
    public int? CudaDevice => Device.StartsWith("cuda", StringComparison.Ordinal)
        ? Device.Length > 5 ? int.Parse(Device.AsSpan(5), CultureInfo.InvariantCulture) : 0
        : null;

    /// <summary>Reads <paramref name="options"/>; every problem is reported at once.</summary>
    /// <exception cref="ArgumentException">A setting is not valid; one line per problem, each naming its key.</exception>
    public static OnnxSessionSettings Read(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        string device = options.Device.Trim().ToLowerInvariant();
        if (device != "cpu" && device != "cuda" && !(device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            problems.Add($"device: '{options.Device}' is not allowed; expected cpu, cuda or cuda:N");
        }
        int threads = options.Threads, inter = 0;
        string level = "all", mode = "sequential";
        string? input = null, output = null;
        if (options.Settings is { } section)
        {
            var reader = new SettingsReader(section, "inference");
            threads = reader.Int("threads", threads, min: 0, max: 4096);
            inter = reader.Int("inter_op_threads", 0, min: 0, max: 4096);
            level = reader.Choice("optimization_level", level, "disabled", "basic", "extended", "all");
            mode = reader.Choice("execution_mode", mode, "sequential", "parallel");
            input = reader.String("input");
            output = reader.String("output");
            reader.RejectUnknown();
            problems.AddRange(reader.Problems);
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", problems));
        }
        return new OnnxSessionSettings(device == "cuda" ? "cuda:0" : device, threads, inter, level switch
        {
            "disabled" => GraphOptimizationLevel.ORT_DISABLE_ALL,
            "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
            "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
        }, mode == "parallel" ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL)
        {
            Input = input,
            Output = output,
        };
    }
}
