using System.Diagnostics;
using Conduit.Data;
using Conduit.Frameworks;
using Conduit.Host.Data;

namespace Conduit.Host.Inference;

/// <summary>
/// Runs a model over a dataset in batches: scores each batch against its labels (accuracy or RMSE) and, when asked,
/// writes one CSV row per example.
/// </summary>
public static class Predictor
{
    /// <summary>
    /// Predicts every example of <paramref name="data"/> in storage order, writing rows to <paramref name="output"/>
    /// (null: score only); a source's dataset is batched as it streams.
    /// </summary>
    /// <exception cref="InvalidDataException">The data's examples do not fit the model; the message gives both shapes.</exception>
    public static async Task<PredictionReport> RunAsync(IInferenceModel model, IDataset data, TextWriter? output, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        // A model opened another way than ModelFiles.OpenToPredict is read as its own metadata says. Not disposed here:
        // the wrapper owns nothing the caller does not.
        InterpretedModel interpreted = InterpretedModel.Of(model, "the model", ModelHints.None);
        DataSchema schema = data.Schema;
        if (schema.FeatureShape.ElementCount != model.InputShape.ElementCount)
        {
            throw new InvalidDataException(
                $"the data has {schema.FeatureShape.ElementCount} features per example (shape {schema.FeatureShape}); the model takes {model.InputShape.ElementCount} (shape {model.InputShape})");
        }
        var score = new PredictionScore(schema, interpreted.ClassNames);
        PredictionCsvWriter? writer = output is null ? null : new PredictionCsvWriter(output, schema, interpreted.Interpretation);

        var clock = Stopwatch.StartNew();
        long rows = 0;
        IBatchedDataset batched = data as IBatchedDataset ?? new StreamingDataset(data);
        await foreach (DataBatch batch in batched.ReadBatchesAsync(new BatchOptions(batchSize), cancellationToken).ConfigureAwait(false))
        {
            TensorBuffer<float> predictions = interpreted.Predict(batch.Features);
            int[] predicted = score.Add(batch.Targets, predictions);
            writer?.Write(rows, batch.Targets, predictions, predicted);
            rows += batch.Count;
        }
        if (output is not null)
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        clock.Stop();
        return new PredictionReport("", "", "", rows, clock.Elapsed.TotalSeconds) { Accuracy = score.Accuracy, Rmse = score.Rmse };
    }
}
