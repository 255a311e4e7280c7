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
/// logged and retried after <see cref="FailureBackoff"/>; it never stops the host. Each pass is noted in the
/// <see cref="WorkerHeartbeat"/> that the worker health check reads.
/// </summary>
internal sealed partial class ProcessKitWorker(ProcessEngine engine, IOptions<ProcessKitOptions> options, WorkerHeartbeat heartbeat, ILogger<ProcessKitWorker> logger) : BackgroundService
{
    /// <summary>How long the worker waits after a failed run before it tries again (on the engine's clock).</summary>
    internal static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.InitializeAsync(cancellationToken).ConfigureAwait(false);
        foreach (var definition in ProcessSources.Load(options.Value, null))
        {
            // The engine logs each deployment (event 1, DefinitionDeployed).
            await engine.DeployAsync(definition, cancellationToken).ConfigureAwait(false);
        }

        // The heartbeat and the start event are written here, not in ExecuteAsync, which runs later on the thread pool:
        // when StartAsync returns, a health check already sees the worker started (or disabled).
        var now = engine.TimeProvider.GetUtcNow();
        if (options.Value.WorkerDisabled)
        {
            heartbeat.Disabled(now);
            LogDisabled(logger);
            return;
        }

        heartbeat.Started(now);
        LogStarted(logger);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WorkerDisabled)
        {
            return;
        }

        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            heartbeat.Stopped(engine.TimeProvider.GetUtcNow());
            LogStopped(logger);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var time = engine.TimeProvider;
        var maxWait = options.Value.MaxWait;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                heartbeat.Running(time.GetUtcNow());
                var fired = await engine.RunDueAsync(stoppingToken).ConfigureAwait(false);
                heartbeat.Passed(time.GetUtcNow());
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
                heartbeat.Failed(time.GetUtcNow(), e.Message);
                LogRunFailed(logger, e, FailureBackoff);
                try
                {
                    await Task.Delay(FailureBackoff, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
    }

    // Event 1 (DefinitionDeployed) is the engine's: see EngineLog in ProcessKit.
    [LoggerMessage(EventId = 2, EventName = "WorkerStarted", Level = LogLevel.Information, Message = "The ProcessKit worker started")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(EventId = 3, EventName = "DueWorkRan", Level = LogLevel.Debug, Message = "Ran {Count} due timer(s) and job(s)")]
    private static partial void LogRan(ILogger logger, int count);

    [LoggerMessage(EventId = 4, EventName = "DueWorkFailed", Level = LogLevel.Error, Message = "Running due timers and jobs failed; trying again in {Backoff}")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, TimeSpan backoff);

    [LoggerMessage(EventId = 5, EventName = "WorkerStopped", Level = LogLevel.Information, Message = "The ProcessKit worker stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 6, EventName = "WorkerDisabled", Level = LogLevel.Information, Message = "The ProcessKit worker is disabled on this host: no timers or jobs run here")]
    private static partial void LogDisabled(ILogger logger);
}
