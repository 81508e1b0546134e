using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HandWrittenTorch;
using TorchSharp;
using static TorchSharp.torch;

// The idiomatic TorchSharp training program that bench/Conduit.Benchmarks.Process compares `conduit run` with:
//   dotnet exec HandWrittenTorch.dll --features F.idx --labels L.idx [--epochs 1] [--threads 0] [--seed 1]
// MLP 784-128-10, Adam (lr 1e-3), batch 64, cross-entropy; prints one JSON object on standard output.
const int Hidden = 128;
const int BatchSize = 64;
const double LearningRate = 1e-3;
DateTime processStarted;
using (var self = Process.GetCurrentProcess())
{
    processStarted = self.StartTime;
}

string features = Option("--features") ?? throw new ArgumentException("--features PATH (an IDX file of float32 features) is required");
string labels = Option("--labels") ?? throw new ArgumentException("--labels PATH (an IDX file of byte labels) is required");
int epochs = int.Parse(Option("--epochs") ?? "1", CultureInfo.InvariantCulture);
int threads = int.Parse(Option("--threads") ?? "0", CultureInfo.InvariantCulture);
int seed = int.Parse(Option("--seed") ?? "1", CultureInfo.InvariantCulture);

if (threads > 0)
{
    torch.set_num_threads(threads);
}
torch.manual_seed(seed);
using Tensor x = IdxFiles.ReadFeatures(features);
using Tensor y = IdxFiles.ReadLabels(labels);
long rows = x.shape[0];
int classes = (int)y.max().item<long>() + 1;

using var model = nn.Sequential(
    ("fc1", nn.Linear(x.shape[1], Hidden)),
    ("relu", nn.ReLU()),
    ("fc2", nn.Linear(Hidden, classes)));
using var optimizer = optim.Adam(model.parameters(), lr: LearningRate);

double? startToFirstStep = null;
var epochSeconds = new List<double>();
double meanLoss = 0, accuracy = 0;
for (int epoch = 0; epoch < epochs; epoch++)
{
    var clock = Stopwatch.StartNew();
    model.train();
    using Tensor order = randperm(rows);
    double lossSum = 0;
    long correct = 0;
    for (long start = 0; start < rows; start += BatchSize)
    {
        startToFirstStep ??= (DateTime.Now - processStarted).TotalSeconds;
        long n = Math.Min(BatchSize, rows - start);
        using DisposeScope scope = NewDisposeScope();
        Tensor batch = order.narrow(0, start, n);
        Tensor input = x.index_select(0, batch);
        Tensor target = y.index_select(0, batch);
        Tensor output = model.forward(input);
        Tensor loss = nn.functional.cross_entropy(output, target);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        // What a user logs every step: the loss and the batch's correct predictions.
        lossSum += loss.item<float>() * n;
        correct += output.argmax(1).eq(target).sum().item<long>();
    }
    epochSeconds.Add(clock.Elapsed.TotalSeconds);
    (meanLoss, accuracy) = (lossSum / rows, (double)correct / rows);
}

Console.WriteLine(JsonSerializer.Serialize(new
{
    epochSeconds,
    startToFirstStepSeconds = startToFirstStep,
    trainLoss = meanLoss,
    trainAccuracy = accuracy,
    threads = torch.get_num_threads(),
}));
return 0;

string? Option(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
