using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProcessKit.PostgreSql.Tests.MultiNode;

/// <summary>
/// One node of the multi-node test as a child process (<c>dotnet ProcessKit.MultiNodeHost.dll ...</c>): its stdout
/// lines are collected as they come and can be awaited, stdin takes commands, and the process can be stopped
/// (SIGSTOP), continued (SIGCONT) or killed (SIGKILL). Disposing kills it if it still runs, stopped or not.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    /// <summary>The longest a test waits for one line or an exit (never reached when it works).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();
    private readonly Task _reading;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(string name, Process process)
    {
        Name = name;
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

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The built node program: tests/ProcessKit.MultiNodeHost/bin/CONFIG/TFM/ProcessKit.MultiNodeHost.dll.</summary>
    public static string HostPath
    {
        get
        {
            var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = own.Name;
            var configuration = own.Parent!.Name;
            var tests = own.Parent.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(tests, "ProcessKit.MultiNodeHost", "bin", configuration, tfm, "ProcessKit.MultiNodeHost.dll");
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

    /// <summary>Every complete line the node wrote so far.</summary>
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

    public static NodeProcess Start(string name, string connectionString, params string[] more)
    {
        var host = HostPath;
        Assert.True(File.Exists(host), $"The node program was not built at {host}; the test project's reference to tests/ProcessKit.MultiNodeHost builds it first.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[host, "--postgres", connectionString, "--node", name, .. more])
        {
            start.ArgumentList.Add(argument);
        }

        return new NodeProcess(name, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits for the first line (from the start) that satisfies <paramref name="match"/>, and returns it.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, string what, CancellationToken cancellationToken) =>
        WaitForLineAsync(match, 0, what, cancellationToken);

    /// <summary>Waits for the first line at or after line number <paramref name="from"/> that satisfies <paramref name="match"/>, and returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, int from, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // Read before the scan: a node that ended after it may still have written the line.
            var ended = _reading.IsCompleted;
            Task changed;
            lock (_lines)
            {
                for (var i = from; i < _lines.Count; i++)
                {
                    if (match(_lines[i]))
                    {
                        return _lines[i];
                    }
                }

                changed = _changed.Task;
            }

            var left = Patience - deadline.Elapsed;
            Assert.True(left > TimeSpan.Zero && !ended, $"Node {Name} did not write {what} within {Patience.TotalSeconds} s (exited: {_process.HasExited}). stderr:\n{Errors}");
            await Task.WhenAny(changed, _reading, Task.Delay(left, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task<string> WaitForLineAsync(string prefix, CancellationToken cancellationToken) =>
        WaitForLineAsync(line => line.StartsWith(prefix, StringComparison.Ordinal), $"a line starting '{prefix}'", cancellationToken);

    /// <summary>The number of the line <paramref name="line"/> (the first equal one), or -1.</summary>
    public int IndexOf(string line)
    {
        lock (_lines)
        {
            return _lines.IndexOf(line);
        }
    }

    /// <summary>Writes a command line to the node's stdin.</summary>
    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends a signal by name (STOP, CONT) with the system's <c>kill</c> command.</summary>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        var kill = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        kill.ArgumentList.Add("-" + signal);
        kill.ArgumentList.Add(_process.Id.ToString(CultureInfo.InvariantCulture));
        using var sender = Process.Start(kill) ?? throw new InvalidOperationException("kill did not start");
        await sender.WaitForExitAsync(cancellationToken);
        Assert.True(sender.ExitCode == 0, $"kill -{signal} {_process.Id} failed: {await sender.StandardError.ReadToEndAsync(cancellationToken)}");
    }

    /// <summary>SIGKILL on Linux; then waits for the process to be gone and its last lines read.</summary>
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
            Assert.Fail($"Node {Name} did not exit within {Patience.TotalSeconds} s. stderr:\n{Errors}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGKILL ends a stopped process too.
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            TaskCompletionSource changed;
            lock (_lines)
            {
                _lines.Add(line);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }

        lock (_lines)
        {
            _changed.TrySetResult();
        }
    }
}
