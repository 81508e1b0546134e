using Conduit.Loggers.Console;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Plugins.Tests;

/// <summary>The console plugin's registration and configuration: one handler instance, the terminal detected, bad settings named.</summary>
public sealed class ConsoleLoggerPluginTests
{
    [Fact]
    public async Task Plugin_registers_one_synchronous_handler_instance_for_every_message()
    {
        var writer = new StringWriter();
        var services = new ServiceCollection();
        services.AddSingleton(new ConsoleFeedback(writer));
        new ConsoleLoggerPlugin().ConfigureServices(services, PluginTestContext.For("console", "logger"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(
            new[] { typeof(RunStarted), typeof(EpochStarted), typeof(BatchEnded), typeof(EpochEnded), typeof(CheckpointSaved), typeof(RunEnded) }.Order(TypeNameComparer.Instance),
            services.Where(d => d.ServiceType.IsConstructedGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IMessageHandler<>))
                .Select(d => d.ServiceType.GenericTypeArguments[0]).Order(TypeNameComparer.Instance));
        Assert.DoesNotContain(services, d => d.ServiceType.IsConstructedGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IAsyncMessageHandler<>));
        var feedback = provider.GetRequiredService<ConsoleFeedback>();
        Assert.Same(feedback, Assert.Single(provider.GetServices<IMessageHandler<RunStarted>>()));
        Assert.Same(feedback, Assert.Single(provider.GetServices<IMessageHandler<RunEnded>>()));

        Assert.Single(provider.GetServices<IMessageHandler<RunStarted>>()).Handle(ConsoleFeedbackTests.Started() with { Model = ConsoleFeedbackTests.Summary });
        Assert.Single(provider.GetServices<IMessageHandler<RunEnded>>()).Handle(ConsoleFeedbackTests.Ended(RunStatus.Completed));

        string output = writer.ToString();
        Assert.Contains("mnist-mlp · fit · run run-42", output);
        Assert.Contains("Total params: 106,770", output);
        Assert.Contains("mnist-mlp completed", output);
    }

    [Theory]
    [InlineData(false, null, null, null, true)]
    [InlineData(true, null, null, null, false)]
    [InlineData(false, "true", null, null, false)]
    [InlineData(false, "1", null, null, false)]
    [InlineData(false, "false", null, null, true)]
    [InlineData(false, null, "1", null, false)]
    [InlineData(false, null, "", null, true)]
    [InlineData(false, null, null, "dumb", false)]
    [InlineData(false, null, null, "xterm-256color", true)]
    public void Interactive_terminal_is_detected_from_redirection_and_environment(bool redirected, string? ci, string? noColor, string? term, bool expected)
    {
        var environment = new Dictionary<string, string?> { ["CI"] = ci, ["NO_COLOR"] = noColor, ["TERM"] = term };

        Assert.Equal(expected, ConsoleLoggerOptions.IsInteractiveTerminal(redirected, name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public void Auto_mode_with_a_writer_of_its_own_is_plain()
    {
        using var feedback = new ConsoleFeedback(new ConsoleLoggerOptions { Output = new StringWriter() }, outputRedirected: false, _ => null);

        Assert.False(feedback.IsLive);
    }

    [Fact]
    public void Configuration_sets_mode_and_width_and_rejects_bad_values()
    {
        ConsoleLoggerOptions options = ConsoleLoggerOptions.FromConfiguration(PluginTestContext.For("console", "logger",
            new Dictionary<string, string?> { ["mode"] = "Plain", ["width"] = "100" }).Configuration);
        Assert.Equal(ConsoleProgressMode.Plain, options.Mode);
        Assert.Equal(100, options.Width);

        var e = Assert.Throws<ArgumentException>(() => ConsoleLoggerOptions.FromConfiguration(PluginTestContext.For("console", "logger",
            new Dictionary<string, string?> { ["mode"] = "fancy" }).Configuration));
        Assert.Contains("plugins:console:mode", e.Message);
        Assert.Contains("fancy", e.Message);
        Assert.Contains("auto, live and plain", e.Message);
    }

    private sealed class TypeNameComparer : IComparer<Type>
    {
        public static readonly TypeNameComparer Instance = new();

        public int Compare(Type? x, Type? y) => string.CompareOrdinal(x?.FullName, y?.FullName);
    }
}
