using Conduit.Data.Tests.Support;
using Conduit.DataSources.Csv;
using Conduit.DataSources.Idx;
using Conduit.Host.Data;
using Conduit.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Data.Tests.Idx;

/// <summary>The digits sample as an MNIST-layout pair reads back as the CSV holds it; the plugin registers the source.</summary>
public sealed class IdxDigitsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_digits_as_an_mnist_pair_read_back_as_the_csv_holds_them(bool gzip)
    {
        string csvPath = CsvFiles.Sample("digits.csv");
        (string images, string labels) = IdxFiles.WriteDigitsAsIdx(csvPath, _temp.Path, gzip);
        InMemoryDataset csv = await InMemoryDataset.LoadAsync(new CsvDataSource().Open(CsvFiles.Settings(("path", csvPath), ("label", "label"))));

        IDataset idx = IdxSource.Open(("path", images), ("labels", labels));
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(idx);

        Assert.Equal(new TensorShape(1, 8, 8), idx.Schema.FeatureShape);
        Assert.Equal(1797, idx.Count);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))], idx.Schema.ClassNames);
        Assert.Equal(csv.Schema.ClassNames, idx.Schema.ClassNames);
        Assert.Equal(csv.Features.ToArray(), loaded.Features.ToArray());
        Assert.Equal(csv.Classes.ToArray(), loaded.Classes.ToArray());
        Assert.Equal(gzip, File.ReadAllBytes(images)[0] == 0x1F);
    }

    [Fact]
    public void The_pair_has_mnists_layout_byte_for_byte()
    {
        (string images, string labels) = IdxFiles.WriteDigitsAsIdx(_temp.Path, gzip: false);
        byte[] imageBytes = File.ReadAllBytes(images);
        byte[] labelBytes = File.ReadAllBytes(labels);

        Assert.Equal([0, 0, 0x08, 3, 0, 0, 0x07, 0x05, 0, 0, 0, 8, 0, 0, 0, 8], imageBytes[..16]);
        Assert.Equal(16 + (1797 * 64), imageBytes.Length);
        Assert.Equal([0, 0, 0x08, 1, 0, 0, 0x07, 0x05], labelBytes[..8]);
        Assert.Equal(8 + 1797, labelBytes.Length);
        Assert.All(imageBytes[16..], p => Assert.InRange(p, 0, 16));
        Assert.All(labelBytes[8..], l => Assert.InRange(l, 0, 9));
    }

    [Fact]
    public void A_csv_other_than_the_digits_is_refused_by_the_writer()
    {
        string csv = _temp.Write("iris.csv", "a,b,label\n1,2,0\n");

        Assert.Throws<InvalidDataException>(() => IdxFiles.WriteDigitsAsIdx(csv, _temp.Path, gzip: false));
    }

    [Fact]
    public void The_plugin_registers_the_idx_source()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        new IdxPlugin().ConfigureServices(services, new PluginContext("idx", new Version(0, 1, 0), AppContext.BaseDirectory, CsvFiles.Settings().Configuration, new Version(0, 1, 0)));

        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal("idx", Assert.Single(provider.GetServices<IDataSource>()).Name);
    }
}
