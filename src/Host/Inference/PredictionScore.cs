using System.Globalization;
using Conduit.Data;

namespace Conduit.Host.Inference;

/// <summary>
/// Each example's predicted class, and the running accuracy (classifiers) or RMSE (regressors) against the labels the
/// data has. The data numbers its classes as it found them and the model as its training data did: matched by name, or,
/// when some label names no class of the model but every label is a class index, by index (data labelled 0..9, a model
/// whose classes were given names).
/// </summary>
internal sealed class PredictionScore
{
    private readonly int[] _dataToModel;
    private readonly bool _classifier;
    private int[] _predicted = [];
    private long _labelled, _correct;
    private double _squared;

    public PredictionScore(DataSchema schema, IReadOnlyList<string> modelClasses)
    {
        _classifier = modelClasses.Count > 0;
        _dataToModel = schema.Target == TargetKind.Classification && _classifier ? Match(schema.ClassNames, modelClasses) : [];
    }

    /// <summary>The share of labelled examples predicted right; null without labels or for a regressor.</summary>
    public double? Accuracy => _classifier && _labelled > 0 ? (double)_correct / _labelled : null;

    /// <summary>The root mean squared error; null without targets or for a classifier.</summary>
    public double? Rmse => !_classifier && _labelled > 0 ? Math.Sqrt(_squared / _labelled) : null;

    /// <summary>Scores one batch; returns each example's predicted class (empty for a regressor), valid until the next call.</summary>
    public int[] Add(ITensorBuffer? targets, TensorBuffer<float> predictions)
    {
        int count = predictions.Shape[0], width = predictions.Shape[1];
        ReadOnlySpan<float> values = predictions.Memory.Span;
        if (_classifier)
        {
            if (_predicted.Length < count)
            {
                _predicted = new int[count];
            }
            for (int i = 0; i < count; i++)
            {
                _predicted[i] = ArgMax(values.Slice(i * width, width));
            }
        }
        switch (targets)
        {
            case TensorBuffer<long> labels when _classifier:
                ReadOnlySpan<long> label = labels.Memory.Span;
                for (int i = 0; i < count; i++)
                {
                    _correct += label[i] >= 0 && label[i] < _dataToModel.Length && _dataToModel[label[i]] == _predicted[i] ? 1 : 0;
                }
                _labelled += count;
                break;
            case TensorBuffer<float> expected when !_classifier:
                ReadOnlySpan<float> target = expected.Memory.Span;
                for (int i = 0; i < Math.Min(target.Length, values.Length); i++)
                {
                    double error = values[i] - target[i];
                    _squared += error * error;
                }
                _labelled += Math.Min(target.Length, values.Length);
                break;
        }
        return _classifier ? _predicted : [];
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int k = 1; k < row.Length; k++)
        {
            if (row[k] > row[best])
            {
                best = k;
            }
        }
        return best;
    }

    private static int[] Match(IReadOnlyList<string> dataClasses, IReadOnlyList<string> modelClasses)
    {
        int[] byName = [.. dataClasses.Select(name => IndexOf(modelClasses, name))];
        int[] byIndex = [.. dataClasses.Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < modelClasses.Count ? i : -1)];
        return byName.Contains(-1) && !byIndex.Contains(-1) ? byIndex : byName;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }
}
