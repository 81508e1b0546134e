using Conduit.Server.Tests.Support;
using Microsoft.Playwright;

namespace Conduit.Server.Tests;

/// <summary>The dashboard in a real browser (Debian's chromium, headless): start a job from the page and watch its chart grow.</summary>
[Collection(ServerCollection.Name)]
public sealed class DashboardTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Starting_a_job_from_the_dashboard_draws_its_live_chart()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (.ci/run does)");
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.Address.ToString());
        await Assertions.Expect(page.Locator("#health")).ToHaveTextAsync("healthy");
        await Assertions.Expect(page.Locator("#plugins tbody td:first-child").GetByText("torchsharp", new LocatorGetByTextOptions { Exact = true })).ToHaveCountAsync(1);

        // The page's own sample job, made smaller so that the test stays quick.
        string job = Jobs.Digits("dashboard-job", epochs: 30, batchSize: 32);
        await page.Locator("#job-document").FillAsync(job);
        await page.Locator("#submit-job").ClickAsync();
        await Assertions.Expect(page.Locator("#submit-result")).ToContainTextAsync("queued");

        // The chart gains points as events arrive, and the job shows up in the table.
        ILocator chart = page.Locator("#live-chart");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('live-chart').dataset.points) >= 10", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        int early = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("ended: completed", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        int final = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(final > early, $"the chart had {early} points, then {final}");
        await Assertions.Expect(page.Locator("#jobs tbody tr").Filter(new LocatorFilterOptions { HasText = "dashboard-job" })).ToContainTextAsync("completed");

        Directory.CreateDirectory(RepoPaths.TestResults);
        string screenshot = Path.Combine(RepoPaths.TestResults, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_sweeps_view_shows_a_sweeps_trials_best_and_curves_live()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (.ci/run does)");
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        using HttpResponseMessage started = await server.Client.PostAsync("/api/sweeps",
            new StringContent(Sweeps.TrailingGrid(epochs: 3), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1400 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.Address.ToString());
        await page.Locator("#sweeps tbody tr").First.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "show" }).ClickAsync();

        // Refreshed while it runs: every trial in the table, the pruned one, the best named, every reported epoch drawn (3 + 1 + at least 1).
        var slow = new LocatorAssertionsToHaveCountOptions { Timeout = 120_000 };
        await Assertions.Expect(page.Locator("#sweep-trials tbody tr")).ToHaveCountAsync(3, slow);
        await Assertions.Expect(page.Locator("#sweeps tbody tr").First).ToContainTextAsync("completed", new LocatorAssertionsToContainTextOptions { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("#sweep-trials tbody tr").Filter(new LocatorFilterOptions { HasText = "optimizer.lr=0.00001" })).ToContainTextAsync("pruned");
        await Assertions.Expect(page.Locator("#sweep-best")).ToContainTextAsync("best so far: trial");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('sweep-curves').dataset.points) >= 5 && Number(document.getElementById('sweep-scatter').dataset.points) >= 3");

        Directory.CreateDirectory(RepoPaths.TestResults);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepoPaths.TestResults, "dashboard-sweeps.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
