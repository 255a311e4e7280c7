using Npgsql;
using NpgsqlTypes;

namespace ProcessKit.PostgreSql;

/// <summary>Typed parameters for values that may be null (a null needs its type named). Stateless and thread-safe.</summary>
internal static class Parameters
{
    public static NpgsqlParameter Text(string name, string? value) => Of(name, NpgsqlDbType.Text, value);

    public static NpgsqlParameter Bigint(string name, long? value) => Of(name, NpgsqlDbType.Bigint, value);

    public static NpgsqlParameter Bytea(string name, byte[]? value) => Of(name, NpgsqlDbType.Bytea, value);

    private static NpgsqlParameter Of(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };
}
