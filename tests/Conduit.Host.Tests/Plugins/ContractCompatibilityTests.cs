using Conduit.Plugins;

namespace Conduit.Host.Tests.Plugins;

public sealed class ContractCompatibilityTests
{
    [Theory]
    [InlineData("1.2.0", "1.5.0", true)]
    [InlineData("1.5.0", "1.5.3", true)]
    [InlineData("1.6.0", "1.5.0", false)]
    [InlineData("2.0.0", "1.5.0", false)]
    [InlineData("1.0.0", "2.0.0", false)]
    [InlineData("0.1.0", "0.1.4", true)]
    [InlineData("0.1.0", "0.2.0", false)]
    [InlineData("0.2.0", "0.1.0", false)]
    public void Follows_the_written_policy(string builtAgainst, string host, bool compatible)
    {
        Assert.Equal(compatible, Conduit.Host.Plugins.ConduitContract.IsCompatible(Version.Parse(builtAgainst), Version.Parse(host), out string? reason));
        Assert.Equal(compatible, reason is null);
    }

    [Fact]
    public void The_contract_version_is_the_abstractions_assembly_version() =>
        Assert.Equal(typeof(IConduitPlugin).Assembly.GetName().Version, Conduit.Host.Plugins.ConduitContract.Version);
}
