using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Data;

namespace Conduit.Host.Inference;

/// <summary>
/// A model read as its <see cref="ModelInterpretation"/> says: raw features are preprocessed before they reach it,
/// logits come back as probabilities, and its class names are the interpretation's. <c>predict</c> and <c>serve</c>
/// see every model, Conduit's own or anyone's, through this one type.
/// </summary>
public sealed class InterpretedModel : IInferenceModel
{
    private InterpretedModel(IInferenceModel inner, ModelInterpretation interpretation)
    {
        Inner = inner;
        Interpretation = interpretation;
    }

    /// <summary>The model as its framework opened it.</summary>
    public IInferenceModel Inner { get; }

    /// <summary>How it is read.</summary>
    public ModelInterpretation Interpretation { get; }

    /// <inheritdoc/>
    public TensorShape InputShape => Inner.InputShape;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => Interpretation.ClassNames;

    /// <inheritdoc/>
    public ModelDescription Description => Inner.Description;

    /// <summary>
    /// <paramref name="model"/> read as <paramref name="hints"/> and its own metadata say (an interpreted model as it is);
    /// it owns <paramref name="model"/> from then on.
    /// </summary>
    /// <exception cref="InvalidDataException">The hints do not fit the model (see <see cref="ModelInterpretation.Resolve"/>).</exception>
    public static InterpretedModel Of(IInferenceModel model, string file, ModelHints hints)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model as InterpretedModel ?? new InterpretedModel(model, ModelInterpretation.Resolve(model, file, hints));
    }

    /// <inheritdoc/>
    public TensorBuffer<float> Predict(ITensorBuffer features)
    {
        ArgumentNullException.ThrowIfNull(features);
        // A batch of another shape goes to the model as it is, which refuses it naming both shapes.
        if (Interpretation.Preprocessing.Kind != NormalizationKind.None && features is TensorBuffer<float> values
            && values.Shape.Rank > 0 && values.Memory.Length == values.Shape[0] * InputShape.ElementCount)
        {
            // In a copy: the caller's batch stays as it was given.
            float[] scaled = values.Memory.ToArray();
            Interpretation.Preprocessing.Apply(scaled);
            features = new TensorBuffer<float>(scaled, values.Shape);
        }
        TensorBuffer<float> outputs = Inner.Predict(features);
        if (Interpretation.Kind == OutputKind.Logits)
        {
            Softmax(outputs.Memory.Span, outputs.Shape.Rank == 2 ? outputs.Shape[1] : outputs.Memory.Length);
        }
        return outputs;
    }

    /// <inheritdoc/>
    public void Dispose() => Inner.Dispose();

    // Per row, shifted by its largest score so that no exponential overflows.
    private static void Softmax(Span<float> rows, int width)
    {
        for (int start = 0; start + width <= rows.Length && width > 0; start += width)
        {
            Span<float> row = rows.Slice(start, width);
            float max = float.NegativeInfinity;
            foreach (float v in row)
            {
                max = Math.Max(max, v);
            }
            double sum = 0;
            for (int k = 0; k < width; k++)
            {
                row[k] = MathF.Exp(row[k] - max);
                sum += row[k];
            }
            for (int k = 0; k < width; k++)
            {
                row[k] = (float)(row[k] / sum);
            }
        }
    }
}
