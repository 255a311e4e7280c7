using System.Text.RegularExpressions;

namespace ProcessKit.PostgreSql.Schema;

/// <summary>
/// The names derived from a validated schema name: the quoted schema, qualified tables, the notification channel
/// and the key of the migration lock. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Schema names are the only identifiers that reach SQL text (identifiers cannot be parameters); they are
/// checked against <c>[a-z_][a-z0-9_]{0,62}</c> and quoted all the same, so reserved words such as <c>user</c> work.
/// </remarks>
internal sealed partial class StoreSchema
{
    private const string TimerChannelSuffix = "_timers";

    /// <summary>PostgreSQL's longest identifier in bytes (NAMEDATALEN - 1); longer channel names are refused by pg_notify.</summary>
    private const int MaxIdentifierLength = 63;

    public StoreSchema(string name)
    {
        ThrowIfInvalidName(name, nameof(name));
        Name = name;
        Quoted = $"\"{name}\"";
        TimerChannel = name.Length + TimerChannelSuffix.Length <= MaxIdentifierLength
            ? name + TimerChannelSuffix
            : string.Concat(name.AsSpan(0, MaxIdentifierLength - TimerChannelSuffix.Length), TimerChannelSuffix);
        MigrationLockName = "processkit:migrate:" + name;
    }

    /// <summary>The schema name as configured.</summary>
    public string Name { get; }

    /// <summary>The schema name quoted for SQL text.</summary>
    public string Quoted { get; }

    /// <summary>The LISTEN/NOTIFY channel on which inserted timers that are due soon are announced.</summary>
    /// <remarks>Two schemas whose first 56 characters agree share a channel: harmless, a wake-up is only a hint to poll.</remarks>
    public string TimerChannel { get; }

    /// <summary>The text hashed by the database into the advisory lock key that serializes migrations of this schema.</summary>
    public string MigrationLockName { get; }

    /// <summary>A table of this schema, qualified and quoted for SQL text.</summary>
    public string Table(string table) => $"{Quoted}.\"{table}\"";

    /// <summary>Whether <paramref name="name"/> is an acceptable schema name.</summary>
    public static bool IsValidName(string? name) =>
        name is not null && IdentifierPattern().IsMatch(name) && !name.StartsWith("pg_", StringComparison.Ordinal);

    /// <summary>Throws a clear <see cref="ArgumentException"/> when <paramref name="name"/> is not an acceptable schema name.</summary>
    public static void ThrowIfInvalidName(string? name, string paramName)
    {
        if (IsValidName(name))
            return;
        var shown = name is null ? "null" : $"\"{name}\"";
        var why = name is not null && name.StartsWith("pg_", StringComparison.Ordinal)
            ? "names starting with \"pg_\" are reserved by PostgreSQL"
            : "it must be 1 to 63 characters of lowercase ASCII letters, digits and underscores, not starting with a digit ([a-z_][a-z0-9_]{0,62})";
        throw new ArgumentException($"The schema name {shown} is not accepted: {why}.", paramName);
    }

    [GeneratedRegex(@"\A[a-z_][a-z0-9_]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
