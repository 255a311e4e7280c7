using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ProcessKit.Sqlite.Schema;

/// <summary>
/// Keeps one store per file and tenant: an exclusive lock on a side file (<c>&lt;file&gt;-&lt;tenant&gt;.lock</c>,
/// beside the database) taken before the database is opened and held until the store closes. A second store
/// (in another process or in this one) opening the same file and tenant is refused before it touches the
/// database. The operating system releases the lock when its holder exits or is killed, so a crashed
/// process never leaves the file locked.
/// </summary>
/// <remarks>
/// <para>
/// The lock is the one .NET takes for <see cref="FileShare.None"/>: an advisory <c>flock</c> on Unix (per open
/// file, so two stores in one process exclude each other too), a sharing mode on Windows. The side file is
/// empty and is left in place when the store closes (deleting it could let two stores hold locks on two
/// different files of the same name).
/// </para>
/// <para>Thread-safe; dispose it to release the lock.</para>
/// </remarks>
internal sealed class SqliteFileLock : IDisposable
{
    private readonly FileStream _stream;

    private SqliteFileLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    /// <summary>The side file holding the lock.</summary>
    public string Path { get; }

    /// <summary>The side file for the database named by <paramref name="connectionString"/> and <paramref name="tenant"/>.</summary>
    public static string LockPath(string connectionString, string tenant)
    {
        var file = System.IO.Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        return file + "-" + TenantPart(tenant) + ".lock";
    }

    /// <summary>
    /// Takes the lock for the database named by <paramref name="connectionString"/> and <paramref name="tenant"/>,
    /// creating the side file when missing. Never waits.
    /// </summary>
    /// <exception cref="ProcessStoreException">
    /// <see cref="ProcessErrorCodes.StoreUnavailable"/>: another store holds the file and tenant, or the side file
    /// cannot be created (missing folder, no permission).
    /// </exception>
    public static SqliteFileLock Acquire(string connectionString, string tenant)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var path = LockPath(connectionString, tenant);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            return new SqliteFileLock(stream, path);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException or PathTooLongException)
        {
            throw new ProcessStoreException(
                ProcessErrorCodes.StoreUnavailable,
                $"The store '{file}' could not be opened: its lock file '{path}' cannot be created ({e.Message}). Check that the folder exists and that this process may read and write it.",
                e);
        }
        catch (IOException e)
        {
            throw new ProcessStoreException(
                ProcessErrorCodes.StoreUnavailable,
                $"The store '{file}' (tenant '{tenant}') is already open in another process, or by another SqliteProcessStore in this process: its lock file '{path}' is held. " +
                "One process uses a SQLite store file and tenant at a time, and nothing was changed in the file. Close the other store (or stop that process) first; " +
                "give this store another file or another TenantId; or, to run several nodes on one database, use the PostgreSQL store.",
                e);
        }
    }

    /// <summary>Releases the lock (the side file stays).</summary>
    public void Dispose() => _stream.Dispose();

    /// <summary>The tenant as it appears in the side file's name: itself when it is a plain name, otherwise a hash of it.</summary>
    private static string TenantPart(string tenant)
    {
        if (tenant.Length <= 64 && tenant.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return tenant;
        }

        return "t" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant)).AsSpan(0, 8));
    }
}
