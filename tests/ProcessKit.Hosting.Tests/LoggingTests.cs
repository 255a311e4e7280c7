using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Execution;

namespace ProcessKit.Hosting.Tests;

/// <summary>The worker's and the engine's log events reach the container's logging, with stable event ids.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task The_host_logs_deployment_worker_start_and_stop_with_stable_event_ids()
    {
        var logs = new Provider();
        var ct = TestContext.Current.CancellationToken;
        using var host = HostKit.Build(
            new FakeTimeProvider(),
            pk => pk.AddProcess(HostKit.HandlerOnly("logged", "work")).AddHandler("work", _ => ValueTask.CompletedTask),
            services => services.AddSingleton<ILoggerProvider>(logs));

        await host.StartAsync(ct);
        await host.StopAsync(ct);

        Assert.Equal([(typeof(ProcessEngine).FullName!, 1), (typeof(ProcessKitWorker).FullName!, 2), (typeof(ProcessKitWorker).FullName!, 5)], logs.Events.Where(e => e.Category.StartsWith("ProcessKit", StringComparison.Ordinal)));
    }

    private sealed class Provider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, int Id)> Events { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Provider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Events.Enqueue((category, eventId.Id));
        }
    }
}
