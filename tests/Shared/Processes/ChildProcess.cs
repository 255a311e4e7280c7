using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProcessKit.Processes;

/// <summary>
/// A test host run as a child process (<c>dotnet HOST.dll ...</c>), for the tests that kill, pause or run several
/// processes (crash, one store per file, multi-node): its stdout lines are collected as they come and can be awaited,
/// its stderr is kept for failure messages, stdin takes commands, and it can be stopped (SIGSTOP), continued (SIGCONT)
/// or killed (SIGKILL). Every wait gives up after <see cref="Patience"/> with a failure that shows the child's stderr
/// (never reached when the test works). Disposing kills the child if it still runs, stopped or not.
/// </summary>
/// <remarks>Thread-safe: lines are read on a task of their own.</remarks>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();
    private readonly Task _reading;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, TimeSpan patience)
    {
        Name = name;
        Patience = patience;
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

    /// <summary>The name failures call the child by (for example "the crash host", "node n2").</summary>
    public string Name { get; }

    /// <summary>The longest any wait on this child lasts.</summary>
    public TimeSpan Patience { get; }

    /// <summary>The child's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the child wrote to stderr so far.</summary>
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

    /// <summary>Every complete line the child wrote to stdout so far (all of them once <see cref="WaitForExitAsync"/> returned).</summary>
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

    /// <summary>
    /// A host program built next to the test's own output, by project name:
    /// <c>tests/PROJECT/bin/CONFIG/TFM/PROJECT.dll</c> for a test running from <c>tests/TESTS/bin/CONFIG/TFM</c>.
    /// </summary>
    public static string HostPath(string project)
    {
        var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = own.Name;
        var configuration = own.Parent!.Name;
        var tests = own.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, project, "bin", configuration, tfm, project + ".dll");
    }

    /// <summary>Starts <c>dotnet</c> on the host program <paramref name="project"/> (see <see cref="HostPath"/>) with the arguments given.</summary>
    /// <param name="name">What failures call the child.</param>
    /// <param name="project">The host's project name; the test project references it (without its assembly) so that it is built first.</param>
    /// <param name="patience">The longest any wait on the child lasts.</param>
    /// <param name="arguments">The host's arguments.</param>
    public static ChildProcess Start(string name, string project, TimeSpan patience, IEnumerable<string> arguments)
    {
        var host = HostPath(project);
        Assert.True(File.Exists(host), $"{project} was not built at {host}; the test project's reference to tests/{project} builds it first.");
        return StartProgram(name, host, workingDirectory: null, patience, arguments);
    }

    /// <summary>
    /// Runs <c>dotnet PROGRAM.dll</c> to its end, as a user runs a sample app: <paramref name="input"/> (if any) is
    /// written to its stdin, which is then closed; returns its exit code, its stdout (lines joined with <c>\n</c>) and
    /// its stderr. Fails when it does not exit within <paramref name="patience"/>.
    /// </summary>
    /// <param name="name">What failures call the program.</param>
    /// <param name="program">The program's built assembly (for example beside the test's own output).</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="input">What to type into it, or <see langword="null"/>.</param>
    /// <param name="patience">The longest it may run.</param>
    /// <param name="cancellationToken">The test's token.</param>
    public static async Task<(int ExitCode, string Output, string Errors)> RunToEndAsync(
        string name, string program, string workingDirectory, IEnumerable<string> arguments, string? input, TimeSpan patience, CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(program), $"{name} was not built at {program}; the test project's reference to it builds it first.");
        await using var child = StartProgram(name, program, workingDirectory, patience, arguments);
        if (input is not null)
        {
            await child._process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
        }

        child._process.StandardInput.Close();
        var exitCode = await child.WaitForExitAsync(cancellationToken);
        return (exitCode, string.Join('\n', child.Lines), child.Errors);
    }

    private static ChildProcess StartProgram(string name, string program, string? workingDirectory, TimeSpan patience, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ChildProcess(name, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), patience);
    }

    /// <summary>Waits for the first line (from the start) that satisfies <paramref name="match"/>, and returns it.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, string what, CancellationToken cancellationToken) =>
        WaitForLineAsync(match, 0, what, cancellationToken);

    /// <summary>Waits for the first line starting with <paramref name="prefix"/>, and returns it.</summary>
    public Task<string> WaitForLineAsync(string prefix, CancellationToken cancellationToken) =>
        WaitForLineAsync(line => line.StartsWith(prefix, StringComparison.Ordinal), $"a line starting '{prefix}'", cancellationToken);

    /// <summary>
    /// Waits for the first line at or after line number <paramref name="from"/> that satisfies <paramref name="match"/>,
    /// and returns it; fails when the child's stdout ends without one or <see cref="Patience"/> passes.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, int from, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // Read before the scan: a child that ended after it may still have written the line.
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
            Assert.True(left > TimeSpan.Zero && !ended, $"{Name} did not write {what} within {Patience.TotalSeconds} s (exited: {_process.HasExited}). stderr:\n{Errors}");
            await Task.WhenAny(changed, _reading, Task.Delay(left, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The number of the line <paramref name="line"/> (the first equal one), or -1.</summary>
    public int IndexOf(string line)
    {
        lock (_lines)
        {
            return _lines.IndexOf(line);
        }
    }

    /// <summary>Writes a command line to the child's stdin.</summary>
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
            Assert.Fail($"{Name} did not exit within {Patience.TotalSeconds} s. stderr:\n{Errors}");
        }

        return _process.ExitCode;
    }

    /// <inheritdoc />
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
