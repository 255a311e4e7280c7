using Microsoft.Extensions.Logging;

namespace ProcessKit.MultiNodeHost;

/// <summary>Writes log entries (the host sets the minimum level) to stderr, prefixed with the node's name, for the test's failure messages.</summary>
internal sealed class StandardErrorLoggerProvider(string node) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(node, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(string node, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = $"{node} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}";
            lock (Console.Error)
            {
                Console.Error.WriteLine(text);
            }
        }
    }
}
