using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

[assembly: AssemblyFixture(typeof(ProcessKit.PostgreSql.Tests.Server.PostgresServer))]

namespace ProcessKit.PostgreSql.Tests.Server;

/// <summary>
/// A throwaway PostgreSQL server for the whole test assembly (an xunit.v3 assembly fixture: created before the first
/// test, disposed after the last). It runs initdb in a fresh temporary directory, starts the server with pg_ctl on a
/// free loopback port (TCP on 127.0.0.1 only, the unix socket inside the directory, fsync on), hands out one fresh
/// database per test (dropped when the test ends), then stops the server and deletes the directory.
/// </summary>
/// <remarks>
/// Missing server binaries fail every test that needs the server, with a message saying what to install. Only an
/// explicit <c>PROCESSKIT_SKIP_POSTGRES=1</c>, outside CI, turns that into skips (reported as such, never silent); with
/// <c>CI</c> set or <c>PROCESSKIT_REQUIRE_POSTGRES=1</c> a missing server is always a failure. <c>PROCESSKIT_PG_BINDIR</c>
/// names the binaries' folder explicitly (then no other folder is tried). As root (CI) initdb and pg_ctl run as the <c>postgres</c> user via runuser,
/// because initdb refuses root.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string ServiceUser = "postgres";
    private int _databases;
    private string? _root;
    private string? _bin;
    private bool _started;
    private NpgsqlDataSource? _admin;

    /// <summary>Why the server is not available (tests are skipped with this reason), or null when it runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The folder of the server binaries in use.</summary>
    public string BinDirectory => _bin ?? throw new InvalidOperationException("The server is not started.");

    private static bool RunAsRoot => Environment.IsPrivilegedProcess;

    public async ValueTask InitializeAsync()
    {
        _bin = FindBinDirectory(out var looked);
        if (_bin is null)
        {
            var ci = Environment.GetEnvironmentVariable("CI");
            var required = (!string.IsNullOrEmpty(ci) && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase))
                || Environment.GetEnvironmentVariable("PROCESSKIT_REQUIRE_POSTGRES") == "1";
            var where = $"PostgreSQL server binaries (initdb, pg_ctl) were not found; looked in: {looked}.";
            if (required)
                throw new InvalidOperationException($"{where} CI requires a PostgreSQL server: install Debian's 'postgresql' package (.ci/run does when it is missing).");
            if (Environment.GetEnvironmentVariable("PROCESSKIT_SKIP_POSTGRES") != "1")
                throw new InvalidOperationException($"{where} Install Debian's 'postgresql' package (or set PROCESSKIT_PG_BINDIR), or set PROCESSKIT_SKIP_POSTGRES=1 to skip the PostgreSQL tests explicitly.");
            Unavailable = $"{where} Skipped because PROCESSKIT_SKIP_POSTGRES=1.";
            return;
        }

        _root = Directory.CreateTempSubdirectory("processkit-pg-").FullName;
        if (RunAsRoot)
            await RunAsync("chown", [$"{ServiceUser}:{ServiceUser}", _root], asService: false).ConfigureAwait(false);

        var data = Path.Combine(_root, "data");
        // --no-sync: initdb's own files need no durability; the server itself runs with fsync on.
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]).ConfigureAwait(false);

        Exception? last = null;
        for (var attempt = 0; attempt < 3 && !_started; attempt++)
        {
            Port = FreeLoopbackPort();
            var options = string.Join(
                ' ',
                "-c listen_addresses=127.0.0.1",
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {_root}",
                "-c fsync=on",
                "-c synchronous_commit=on",
                "-c max_connections=200");
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "-o", options, "start"]).ConfigureAwait(false);
                _started = true;
            }
            catch (InvalidOperationException e)
            {
                // Most likely the port was taken between choosing and binding it: try another.
                last = e;
            }
        }

        if (!_started)
            throw new InvalidOperationException($"The throwaway PostgreSQL server did not start: {last?.Message} {ServerLog()}", last);

        _admin = NpgsqlDataSource.Create(ConnectionString("postgres"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
            await _admin.DisposeAsync().ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (_started && _bin is not null && _root is not null)
                await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_root, "data"), "-m", "fast", "-w", "stop"]).ConfigureAwait(false);
        }
        finally
        {
            if (_root is not null && Directory.Exists(_root))
                Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The connection string of a database on this server (superuser over loopback TCP).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            // Leasing tests hold several connections per data source at once.
            MaxPoolSize = 20,
        }.ConnectionString;

    /// <summary>
    /// Creates a fresh, empty database for one test and returns a data source on it; skips the test when the server
    /// is unavailable by explicit choice (<see cref="Unavailable"/>).
    /// </summary>
    public async Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        if (Unavailable is not null)
            Assert.Skip(Unavailable);
        var name = "pk_test_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture);
        await using (var command = _admin!.CreateCommand($"CREATE DATABASE \"{name}\" TEMPLATE template1"))
            await command.ExecuteNonQueryAsync(cancellationToken);
        return new TestDatabase(name, ConnectionString(name), DropDatabaseAsync);
    }

    /// <summary>
    /// Drops a test's database when the test ends: cheap, and it spares the shutdown checkpoint (pg_ctl stop -m fast)
    /// from flushing every database the run created.
    /// </summary>
    private async Task DropDatabaseAsync(string name)
    {
        await using var command = _admin!.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinDirectory(out string looked)
    {
        var candidates = new List<string>();
        var explicitDir = Environment.GetEnvironmentVariable("PROCESSKIT_PG_BINDIR");
        if (!string.IsNullOrEmpty(explicitDir))
        {
            // An explicit folder is the only one tried: a wrong setting must not be hidden by another install.
            looked = explicitDir + " (PROCESSKIT_PG_BINDIR)";
            return File.Exists(Path.Combine(explicitDir, "initdb")) && File.Exists(Path.Combine(explicitDir, "pg_ctl")) ? explicitDir : null;
        }

        if (TryPgConfigBinDir() is { } fromPgConfig)
            candidates.Add(fromPgConfig);
        const string Debian = "/usr/lib/postgresql";
        if (Directory.Exists(Debian))
        {
            candidates.AddRange(Directory.GetDirectories(Debian)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Major: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : -1))
                .OrderByDescending(x => x.Major)
                .Select(x => x.Dir));
        }
        else
        {
            candidates.Add(Debian + "/<major>/bin");
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        looked = string.Join(", ", candidates.Distinct(StringComparer.Ordinal));
        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    private static string? TryPgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
                return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no pg_config on PATH
        }
    }

    /// <summary>Runs a server tool (as the postgres user when this process is root) in the temp directory; throws with its output when it fails.</summary>
    private async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asService = true)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The tools warn when started in a directory the postgres user cannot read (root's home).
            WorkingDirectory = _root ?? Path.GetTempPath(),
        };
        if (asService && RunAsRoot)
        {
            info.FileName = "runuser";
            foreach (var argument in (string[])["-u", ServiceUser, "--", file])
                info.ArgumentList.Add(argument);
        }
        else
        {
            info.FileName = file;
        }

        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var output = new StringBuilder().Append(await stdout.ConfigureAwait(false)).Append(await stderr.ConfigureAwait(false)).ToString().Trim();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output}");
    }

    private string ServerLog()
    {
        var log = _root is null ? null : Path.Combine(_root, "server.log");
        return log is not null && File.Exists(log) ? "Server log: " + File.ReadAllText(log) : "";
    }
}
