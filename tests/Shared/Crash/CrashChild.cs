using System.Diagnostics;
using System.Text;

namespace ProcessKit.Crash;

/// <summary>
/// One run of the crash host as a child process (<c>dotnet ProcessKit.CrashHost.dll ...</c>): its stdout lines are
/// collected as they come, its stderr kept for failure messages. Disposing kills it if it still runs.
/// </summary>
internal sealed class CrashChild : IAsyncDisposable
{
    /// <summary>The longest a test waits for the child to say it is ready or to exit (never reached when it works).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;

    private CrashChild(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>The built host next to the test's own output: tests/ProcessKit.CrashHost/bin/CONFIG/TFM/ProcessKit.CrashHost.dll.</summary>
    public static string HostPath
    {
        get
        {
            var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = own.Name;
            var configuration = own.Parent!.Name;
            var tests = own.Parent.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(tests, "ProcessKit.CrashHost", "bin", configuration, tfm, "ProcessKit.CrashHost.dll");
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static CrashChild Start(params string[] arguments)
    {
        var host = HostPath;
        Assert.True(File.Exists(host), $"The crash host was not built at {host}; the test project's reference to tests/ProcessKit.CrashHost builds it first.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(host);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new CrashChild(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits until the host opened the store and deployed the process (its "ready" line).</summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var finished = await Task.WhenAny(_ready.Task, _reading, Task.Delay(Patience, cancellationToken));
        Assert.True(_ready.Task.IsCompleted, $"The crash host did not say 'ready' within {Patience.TotalSeconds} s (exited: {_process.HasExited}). stderr:\n{Errors}");
        await finished;
    }

    /// <summary>SIGKILL on Linux; then waits for the process to be gone and for its last lines to be read.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill();
        await WaitForExitAsync(cancellationToken);
    }

    /// <summary>Waits for the exit and the end of stdout; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _reading.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"The crash host did not exit within {Patience.TotalSeconds} s. stderr:\n{Errors}");
        }

        return _process.ExitCode;
    }

    /// <summary>Every complete line the child wrote (only after it exited).</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }

            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                _ready.TrySetResult();
            }
        }
    }
}
