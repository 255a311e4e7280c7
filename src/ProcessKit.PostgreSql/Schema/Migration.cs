namespace ProcessKit.PostgreSql.Schema;

/// <summary>One step of the schema: its version, a short description recorded in <c>schema_migrations</c>, and its DDL.</summary>
/// <param name="Version">The version the schema has after this step; versions start at 1 and have no gaps.</param>
/// <param name="Description">What the step does, stored with the version.</param>
/// <param name="Sql">The DDL for a given schema: statements without parameters, run in the migration's transaction.</param>
internal sealed record Migration(int Version, string Description, Func<StoreSchema, string> Sql);
