using System.Data.Common;
using ProcessKit.Execution;

namespace ProcessKit.PostgreSql.Rows;

/// <summary>
/// An <c>instances</c> row as read (the columns of <see cref="Statements.SelectInstance"/>, in that order), before its
/// model is looked up and its state decoded. Immutable.
/// </summary>
/// <param name="ProcessId">The process the instance runs.</param>
/// <param name="ProcessVersion">The version of that process.</param>
/// <param name="Version">The instance's version (the commit check).</param>
/// <param name="State">The instance's state.</param>
/// <param name="BusinessKey">The business key, if any.</param>
/// <param name="StartedTicks">When it started (UTC ticks).</param>
/// <param name="EndedTicks">When it ended (UTC ticks), 0 while it runs.</param>
/// <param name="StateBlob">The encoded state.</param>
/// <param name="HistoryCount">How many history events are stored.</param>
internal sealed record InstanceRow(string ProcessId, int ProcessVersion, long Version, InstanceState State, string? BusinessKey, long StartedTicks, long EndedTicks, byte[] StateBlob, int HistoryCount)
{
    /// <summary>Reads the row's columns starting at column <paramref name="at"/>.</summary>
    public static InstanceRow Read(DbDataReader r, int at) => new(
        r.GetString(at),
        r.GetInt32(at + 1),
        r.GetInt64(at + 2),
        (InstanceState)r.GetInt16(at + 3),
        r.IsDBNull(at + 4) ? null : r.GetString(at + 4),
        r.GetInt64(at + 5),
        r.IsDBNull(at + 6) ? 0 : r.GetInt64(at + 6),
        r.GetFieldValue<byte[]>(at + 7),
        r.GetInt32(at + 8));
}
