using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ProcessKit.Tests.Diagnostics;

/// <summary>A logger factory that keeps every event written through it (category, id, name, level, message).</summary>
internal sealed class TestLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(string Category, EventId Id, LogLevel Level, string Message)> Events { get; } = [];

    public IEnumerable<int> Ids => Events.Select(static e => e.Id.Id);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(TestLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Events.Enqueue((category, eventId, logLevel, formatter(state, exception)));
    }
}
