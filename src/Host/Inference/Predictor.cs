using System.Diagnostics;
using System.Globalization;
using System.Text;
using Conduit.Data;
using Conduit.Frameworks;

namespace Conduit.Host.Inference;

/// <summary>
/// Runs a model over a dataset in batches and writes one CSV row per example: the predicted class (or values), each
/// class's probability, and the label when the data has one, scoring accuracy or RMSE as it goes.
/// </summary>
public static class Predictor
{
    /// <summary>Predicts every example of <paramref name="data"/> into <paramref name="output"/> (null: predict without writing).</summary>
    /// <exception cref="InvalidDataException">The data's examples do not fit the model; the message gives both shapes.</exception>
    public static async Task<PredictionReport> RunAsync(IInferenceModel model, IDataset data, TextWriter? output, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        DataSchema schema = data.Schema;
        if (schema.FeatureShape.ElementCount != model.InputShape.ElementCount)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"the data has {schema.FeatureShape.ElementCount} features per example (shape {schema.FeatureShape}); the model takes {model.InputShape.ElementCount} (shape {model.InputShape})"));
        }
        IReadOnlyList<string> classes = model.ClassNames;
        int[] labelToModel = LabelMapping(schema, classes);
        output?.WriteLine(Header(schema, model, classes));

        var clock = Stopwatch.StartNew();
        long rows = 0, labelled = 0, correct = 0;
        double squared = 0;
        var line = new StringBuilder();
        await foreach (DataBatch batch in data.ReadBatchesAsync(new BatchOptions(batchSize), cancellationToken).ConfigureAwait(false))
        {
            TensorBuffer<float> predictions = model.Predict(batch.Features);
            int width = predictions.Shape[1];
            ReadOnlySpan<float> values = predictions.Memory.Span;
            for (int i = 0; i < batch.Count; i++)
            {
                ReadOnlySpan<float> row = values.Slice(i * width, width);
                line.Clear().Append(rows.ToString(CultureInfo.InvariantCulture));
                int predicted = classes.Count > 0 ? ArgMax(row) : -1;
                switch (batch.Targets)
                {
                    case TensorBuffer<long> labels:
                        long label = labels.Memory.Span[i];
                        labelled++;
                        if (label >= 0 && label < labelToModel.Length && labelToModel[label] == predicted)
                        {
                            correct++;
                        }
                        line.Append(',').Append(Csv(label < schema.ClassNames.Count ? schema.ClassNames[(int)label] : label.ToString(CultureInfo.InvariantCulture)));
                        break;
                    case TensorBuffer<float> targets:
                        int targetWidth = targets.Shape.Rank > 1 ? targets.Shape[1] : 1;
                        for (int k = 0; k < targetWidth; k++)
                        {
                            float target = targets.Memory.Span[i * targetWidth + k];
                            double error = k < width ? row[k] - target : 0;
                            squared += error * error;
                            line.Append(',').Append(target.ToString("R", CultureInfo.InvariantCulture));
                        }
                        labelled += targetWidth;
                        break;
                }
                if (predicted >= 0)
                {
                    line.Append(',').Append(Csv(predicted < classes.Count ? classes[predicted] : predicted.ToString(CultureInfo.InvariantCulture)));
                }
                foreach (float value in row)
                {
                    line.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
                }
                output?.WriteLine(line);
                rows++;
            }
        }
        if (output is not null)
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        clock.Stop();
        bool classifier = classes.Count > 0;
        return new PredictionReport("", "", "", rows, clock.Elapsed.TotalSeconds)
        {
            Accuracy = classifier && labelled > 0 ? (double)correct / labelled : null,
            Rmse = !classifier && labelled > 0 ? Math.Sqrt(squared / labelled) : null,
        };
    }

    // The data numbers its classes as it found them; the model, as its training data did. Matched by name.
    private static int[] LabelMapping(DataSchema schema, IReadOnlyList<string> classes)
    {
        if (schema.Target != TargetKind.Classification || classes.Count == 0)
        {
            return [];
        }
        return [.. schema.ClassNames.Select(name => IndexOf(classes, name))];
    }

    private static string Header(DataSchema schema, IInferenceModel model, IReadOnlyList<string> classes)
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
        if (classes.Count > 0)
        {
            header.Append(",predicted");
            foreach (string name in classes)
            {
                header.Append(',').Append(Csv("p_" + name));
            }
        }
        else
        {
            int width = model.Description.Outputs.Count > 0 && model.Description.Outputs[0].Dimensions is [_, var w] && int.TryParse(w, CultureInfo.InvariantCulture, out int n) ? n : 1;
            for (int k = 0; k < width; k++)
            {
                header.Append(",prediction").Append(width > 1 ? $"_{k}" : "");
            }
        }
        return header.ToString();
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

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
