using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ProcessKit.PostgreSql.Throughput;

/// <summary>
/// A PostgreSQL server for one benchmark run, as the tests' fixture makes one: initdb in a fresh temporary directory,
/// pg_ctl start on a free loopback port with fsync on, stopped and deleted at the end. As root the tools run as the
/// <c>postgres</c> user (initdb refuses root). The binaries are looked up in <c>PROCESSKIT_PG_BINDIR</c>, then in
/// Debian's <c>/usr/lib/postgresql/&lt;major&gt;/bin</c>, then on PATH. Compiled into every benchmark program that needs
/// a server (<c>benchmarks/Shared</c>).
/// </summary>
internal sealed class ThrowawayServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _bin;
    private bool _started;

    private ThrowawayServer(string root, string bin)
    {
        _root = root;
        _bin = bin;
    }

    public int Port { get; private set; }

    public string Version { get; private set; } = "";

    /// <summary>Why no server can be started here (no initdb and pg_ctl found), or <c>null</c> when the binaries are installed.</summary>
    public static string? Missing => FindBin() is null ? NotFound : null;

    private const string NotFound = "PostgreSQL server binaries (initdb, pg_ctl) were not found: install Debian's 'postgresql' package, set PROCESSKIT_PG_BINDIR, or pass --connection.";

    public static async Task<ThrowawayServer> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(NotFound);
        var root = Directory.CreateTempSubdirectory("processkit-pgbench-").FullName;
        var server = new ThrowawayServer(root, bin);
        try
        {
            if (Environment.IsPrivilegedProcess)
                await RunAsync(root, "chown", ["postgres:postgres", root], asService: false).ConfigureAwait(false);
            var data = Path.Combine(root, "data");
            await RunAsync(root, Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]).ConfigureAwait(false);
            server.Port = FreePort();
            var options = $"-c listen_addresses=127.0.0.1 -p {server.Port.ToString(CultureInfo.InvariantCulture)} -k {root} -c fsync=on -c synchronous_commit=on -c max_connections=300";
            await RunAsync(root, Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", options, "start"]).ConfigureAwait(false);
            server._started = true;
            await using var source = NpgsqlDataSource.Create(server.ConnectionString("postgres"));
            await using var command = source.CreateCommand("SHOW server_version");
            server.Version = (string)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, MaxPoolSize = 100 }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (_started)
                await RunAsync(_root, Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "fast", "-w", "stop"]).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string? FindBin()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PROCESSKIT_PG_BINDIR") is { Length: > 0 } explicitDir)
            candidates.Add(explicitDir);
        const string Debian = "/usr/lib/postgresql";
        if (Directory.Exists(Debian))
            candidates.AddRange(Directory.GetDirectories(Debian).OrderByDescending(static d => d, StringComparer.Ordinal).Select(static d => Path.Combine(d, "bin")));
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(static d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>
    /// CPU time used so far by the server's processes (the postmaster and its children, from /proc; a backend's time
    /// counts while it lives, so read it before the connections close), or null where that cannot be read.
    /// </summary>
    public TimeSpan? Cpu()
    {
        try
        {
            var postmaster = File.ReadLines(Path.Combine(_root, "data", "postmaster.pid")).First().Trim();
            var ticksPerSecond = 100.0; // USER_HZ on Linux
            double ticks = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                var name = Path.GetFileName(dir);
                if (name.Length == 0 || !char.IsAsciiDigit(name[0]))
                    continue;
                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(dir, "stat"));
                }
                catch (IOException)
                {
                    continue;
                }

                // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime(15).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (name == postmaster || fields[1] == postmaster)
                    ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }

            return TimeSpan.FromSeconds(ticks / ticksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string directory, string file, IReadOnlyList<string> arguments, bool asService = true)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        if (asService && Environment.IsPrivilegedProcess)
        {
            info.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", file])
                info.ArgumentList.Add(a);
        }
        else
        {
            info.FileName = file;
        }

        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited with {process.ExitCode}: {await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
    }
}
