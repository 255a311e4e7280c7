namespace ProcessKit.PostgreSql.Schema;

/// <summary>What a migration run did: the schema version it found (0 for a new schema) and the version it left.</summary>
/// <param name="FromVersion">The version before the run.</param>
/// <param name="ToVersion">The version after the run; equal to <paramref name="FromVersion"/> when nothing was missing.</param>
internal readonly record struct MigrationResult(int FromVersion, int ToVersion)
{
    /// <summary>Whether the run applied at least one migration.</summary>
    public bool Applied => ToVersion > FromVersion;
}
