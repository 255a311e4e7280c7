using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;

namespace ProcessKit.Hosting.Tests;

/// <summary>Builds real hosts on fake time, and small processes for them.</summary>
internal static class HostKit
{
    /// <summary>The longest a test waits for something the worker does (real time).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static IHost Build(TimeProvider time, Action<ProcessKitBuilder> configure, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(time);
        services?.Invoke(builder.Services);
        builder.Services.AddProcessKit(configure);
        return builder.Build();
    }

    /// <summary>A timer of <paramref name="wait"/>, then the automated step with the handler <paramref name="handler"/>, then the end.</summary>
    public static ProcessDefinition TimerThenHandler(string id, TimeSpan wait, string handler)
    {
        var p = ProcessBuilder.Create(id, id);
        var timer = p.Timer("wait", "Wait", wait);
        var work = p.Automated("work", "Work", handler);
        var done = p.End("done", "Done");
        timer.Then(work);
        work.Then(done);
        return p.Build();
    }

    /// <summary>The automated step with the handler <paramref name="handler"/>, then the end.</summary>
    public static ProcessDefinition HandlerOnly(string id, string handler)
    {
        var p = ProcessBuilder.Create(id, id);
        var work = p.Automated("work", "Work", handler);
        var done = p.End("done", "Done");
        work.Then(done);
        return p.Build();
    }
}

/// <summary>A fake clock that reports every sleep started on it, so a test can see the worker go to sleep.</summary>
internal sealed class ObservedTime : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _sleeps = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _sleeps.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (in real time, bounded) until a sleep of exactly <paramref name="dueTime"/> starts.</summary>
    public async Task WaitForSleepAsync(TimeSpan dueTime, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HostKit.Patience);
        while (await _sleeps.Reader.ReadAsync(timeout.Token) != dueTime)
        {
        }
    }
}
