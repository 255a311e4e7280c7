using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProcessKit.Execution;

namespace ProcessKit.Hosting;

/// <summary>
/// The one background service: deploys the registered processes when the host starts, then runs what
/// is due (<see cref="ProcessEngine.RunDueAsync"/>) and sleeps until the next due time or until a
/// command schedules earlier work (<see cref="ProcessEngine.WaitForWorkAsync"/>; a store shared by
/// several nodes, PostgreSQL, also wakes it for other nodes' work and at its backstop poll). A failed run is
/// logged and retried after <see cref="FailureBackoff"/>; it never stops the host.
/// </summary>
internal sealed partial class ProcessKitWorker(ProcessEngine engine, IOptions<ProcessKitOptions> options, ILogger<ProcessKitWorker> logger) : BackgroundService
{
    /// <summary>How long the worker waits after a failed run before it tries again (on the engine's clock).</summary>
    internal static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.InitializeAsync(cancellationToken).ConfigureAwait(false);
        foreach (var definition in ProcessSources.Load(options.Value, null))
        {
            var version = await engine.DeployAsync(definition, cancellationToken).ConfigureAwait(false);
            LogDeployed(logger, definition.Id, version);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var maxWait = options.Value.MaxWait;
        LogStarted(logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var fired = await engine.RunDueAsync(stoppingToken).ConfigureAwait(false);
                if (fired > 0)
                {
                    LogRan(logger, fired);
                }

                await engine.WaitForWorkAsync(maxWait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A failed timer stays scheduled; back off so a failure that repeats does not spin.
                LogRunFailed(logger, e, FailureBackoff);
                try
                {
                    await Task.Delay(FailureBackoff, engine.TimeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        LogStopped(logger);
    }

    [LoggerMessage(EventId = 1, EventName = "ProcessDeployed", Level = LogLevel.Information, Message = "Deployed the process '{ProcessId}' version {Version}")]
    private static partial void LogDeployed(ILogger logger, string processId, int version);

    [LoggerMessage(EventId = 2, EventName = "WorkerStarted", Level = LogLevel.Debug, Message = "The ProcessKit worker started")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(EventId = 3, EventName = "DueWorkRan", Level = LogLevel.Debug, Message = "Ran {Count} due timer(s) and job(s)")]
    private static partial void LogRan(ILogger logger, int count);

    [LoggerMessage(EventId = 4, EventName = "DueWorkFailed", Level = LogLevel.Error, Message = "Running due timers and jobs failed; trying again in {Backoff}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(EventId = 5, EventName = "WorkerStopped", Level = LogLevel.Debug, Message = "The ProcessKit worker stopped")]
    private static partial void LogStopped(ILogger logger);
}
