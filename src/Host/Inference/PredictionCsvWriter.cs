using System.Globalization;
using System.Text;
using Conduit.Data;

namespace Conduit.Host.Inference;

/// <summary>
/// Writes predictions as CSV: <c>row</c>, the label when the data has one, then for a classifier the predicted class,
/// its probability and each class's probability (<c>p_&lt;class&gt;</c>), for a regressor each predicted value.
/// Numbers are formatted into one reused buffer (shortest round-trip form), so a row costs no allocation.
/// </summary>
internal sealed class PredictionCsvWriter
{
    private readonly TextWriter _output;
    private readonly DataSchema _schema;
    private readonly IReadOnlyList<string> _classes;
    private readonly string[] _dataLabels;
    private readonly string[] _modelLabels;
    private char[] _line = new char[256];
    private int _length;

    public PredictionCsvWriter(TextWriter output, DataSchema schema, ModelInterpretation model)
    {
        _output = output;
        _schema = schema;
        _classes = model.ClassNames;
        _dataLabels = [.. schema.ClassNames.Select(Quote)];
        _modelLabels = [.. model.ClassNames.Select(Quote)];
        output.WriteLine(Header(schema, model));
    }

    /// <summary>Writes one batch's rows, numbered from <paramref name="firstRow"/>.</summary>
    public void Write(long firstRow, ITensorBuffer? targets, TensorBuffer<float> predictions, int[] predicted)
    {
        int count = predictions.Shape[0], width = predictions.Shape[1];
        ReadOnlySpan<float> values = predictions.Memory.Span;
        for (int i = 0; i < count; i++)
        {
            _length = 0;
            Number(firstRow + i);
            switch (targets)
            {
                case TensorBuffer<long> labels:
                    long label = labels.Memory.Span[i];
                    Comma();
                    if (label >= 0 && label < _dataLabels.Length)
                    {
                        Text(_dataLabels[label]);
                    }
                    else
                    {
                        Number(label);
                    }
                    break;
                case TensorBuffer<float> expected:
                    int targetWidth = expected.Shape.Rank > 1 ? expected.Shape[1] : 1;
                    for (int k = 0; k < targetWidth; k++)
                    {
                        Comma();
                        Number(expected.Memory.Span[i * targetWidth + k]);
                    }
                    break;
            }
            if (_classes.Count > 0)
            {
                Comma();
                Text(_modelLabels[predicted[i]]);
                Comma();
                Number(values[i * width + predicted[i]]);
            }
            foreach (float value in values.Slice(i * width, width))
            {
                Comma();
                Number(value);
            }
            _output.WriteLine(_line, 0, _length);
        }
    }

    private void Comma() => Text(",");

    private void Text(string text)
    {
        Reserve(text.Length);
        text.CopyTo(_line.AsSpan(_length));
        _length += text.Length;
    }

    private void Number(long value)
    {
        Reserve(20);
        value.TryFormat(_line.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    private void Number(float value)
    {
        Reserve(32);
        value.TryFormat(_line.AsSpan(_length), out int written, "R", CultureInfo.InvariantCulture);
        _length += written;
    }

    private void Reserve(int more)
    {
        if (_length + more > _line.Length)
        {
            Array.Resize(ref _line, Math.Max(_line.Length * 2, _length + more));
        }
    }

    private static string Header(DataSchema schema, ModelInterpretation model)
    {
        var header = new StringBuilder("row");
        if (schema.Target == TargetKind.Classification && schema.ClassNames.Count > 0)
        {
            header.Append(",label");
        }
        else if (schema.Target == TargetKind.Regression)
        {
            header.Append(",target");
        }
        if (model.ClassNames.Count > 0)
        {
            header.Append(",predicted,probability");
            foreach (string name in model.ClassNames)
            {
                header.Append(',').Append(Quote("p_" + name));
            }
        }
        else
        {
            int width = model.OutputWidth;
            for (int k = 0; k < width; k++)
            {
                header.Append(",prediction").Append(width > 1 ? $"_{k}" : "");
            }
        }
        return header.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
