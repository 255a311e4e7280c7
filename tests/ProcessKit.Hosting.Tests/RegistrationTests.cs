using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Execution;

namespace ProcessKit.Hosting.Tests;

/// <summary>What AddProcessKit registers, and the checks that run when the host starts.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task Calling_AddProcessKit_twice_registers_one_engine_and_one_worker()
    {
        var process = HostKit.HandlerOnly("p", "work");
        Func<StepContext, ValueTask> work = static _ => ValueTask.CompletedTask;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddProcessKit(pk => pk.AddProcess(process).AddHandler("work", work));
        services.AddProcessKit(pk => pk.AddProcess(process).AddHandler("work", work));

        Assert.Single(services, d => d.ServiceType == typeof(ProcessEngine));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ProcessKitOptions>));

        using var host = HostKit.Build(new FakeTimeProvider(), pk => pk.AddProcess(process).AddHandler("work", work), s => s.AddProcessKit(pk => pk.AddProcess(process).AddHandler("work", work)));
        await host.StartAsync(TestContext.Current.CancellationToken);
        var engine = host.Services.GetRequiredService<ProcessEngine>();
        Assert.Same(engine, host.Services.GetRequiredService<ProcessEngine>());
        var id = await engine.StartAsync("p", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(id, TestContext.Current.CancellationToken)).State);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_engine_reads_the_clock_registered_in_the_container()
    {
        var time = new FakeTimeProvider();
        using var host = HostKit.Build(time, pk => pk.AddProcess(HostKit.HandlerOnly("p", "work")).AddHandler("work", static _ => ValueTask.CompletedTask));
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Same(time, host.Services.GetRequiredService<ProcessEngine>().TimeProvider);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Start_fails_with_a_clear_message_when_no_process_is_registered()
    {
        using var host = HostKit.Build(new FakeTimeProvider(), static _ => { });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("ProcessKit has no process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_fails_with_a_clear_message_when_a_step_names_an_unknown_handler()
    {
        using var host = HostKit.Build(new FakeTimeProvider(), pk => pk.AddProcess(HostKit.HandlerOnly("p", "send")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("names the handler 'send', which is not registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_fails_with_a_clear_message_when_two_handlers_share_a_name()
    {
        using var host = HostKit.Build(new FakeTimeProvider(), pk => pk
            .AddProcess(HostKit.HandlerOnly("p", "work"))
            .AddHandler("work", static _ => ValueTask.CompletedTask)
            .AddHandler<RecordingHandler>("work"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Two different handlers are registered under the name 'work'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_fails_with_the_problems_of_a_bad_definition_file()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "bad-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, """{ "id": "p", "name": "P", "steps": [] }""", TestContext.Current.CancellationToken);
        try
        {
            using var host = HostKit.Build(new FakeTimeProvider(), pk => pk.AddProcessFromJson(path));

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
            Assert.Contains($"The process file '{path}' is not a valid definition", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Start_fails_with_a_clear_message_when_a_definition_file_is_missing()
    {
        using var host = HostKit.Build(new FakeTimeProvider(), pk => pk.AddProcessFromJson("definitions/no-such-file.json"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("no-such-file.json' cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_from_a_json_file_is_deployed_when_the_host_starts()
    {
        using var host = HostKit.Build(new FakeTimeProvider(), pk => pk.AddProcessFromJson("definitions/cafe.json"));
        await host.StartAsync(TestContext.Current.CancellationToken);

        var start = () => host.Services.GetRequiredService<ProcessEngine>().StartAsync("cafe.serve-guest", cancellationToken: TestContext.Current.CancellationToken).AsTask();
        var error = await Assert.ThrowsAsync<InvalidCommandException>(start);
        Assert.Equal(ProcessErrorCodes.StartDataInvalid, error.ErrorCode);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_handler_class_is_resolved_from_the_container_in_a_scope_per_step_run()
    {
        var recorder = new Recorder();
        using var host = HostKit.Build(
            new FakeTimeProvider(),
            pk => pk.AddProcess(HostKit.HandlerOnly("p", "work")).AddHandler<RecordingHandler>("work"),
            s => s.AddSingleton(recorder).AddScoped<ScopedThing>());
        await host.StartAsync(TestContext.Current.CancellationToken);
        var engine = host.Services.GetRequiredService<ProcessEngine>();

        await engine.StartAsync("p", cancellationToken: TestContext.Current.CancellationToken);
        await engine.StartAsync("p", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, recorder.Things.Count);
        Assert.NotSame(recorder.Things[0], recorder.Things[1]);
        Assert.All(recorder.Things, static t => Assert.True(t.Disposed));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}

internal sealed class Recorder
{
    public List<ScopedThing> Things { get; } = [];
}

internal sealed class ScopedThing : IDisposable
{
    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;
}

internal sealed class RecordingHandler(Recorder recorder, ScopedThing thing) : IStepHandler
{
    public ValueTask ExecuteAsync(StepContext context)
    {
        lock (recorder)
        {
            recorder.Things.Add(thing);
        }

        return ValueTask.CompletedTask;
    }
}
