namespace ProcessKit.Benchmarks.Compare.Durable;

/// <summary>The durable stores of the comparison's durable block (<c>--store</c>).</summary>
internal enum DurableStoreKind
{
    /// <summary>The SQLite store on a new file in the temp folder, <c>synchronous=FULL</c>, its writer grouping concurrent commits.</summary>
    Sqlite,

    /// <summary>The PostgreSQL store on a throwaway server on loopback (fsync on), group commit with its default writer slots.</summary>
    PostgreSql,
}
