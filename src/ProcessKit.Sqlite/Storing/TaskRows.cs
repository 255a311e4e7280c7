using Microsoft.Data.Sqlite;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Storing;

/// <summary>
/// A human task as a row: the columns the store queries, and the body written by
/// <see cref="TaskBodyCodec"/> for the rest (process, step name, outcomes, the step's node and the
/// multi-instance item).
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class TaskRows
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns = "id, instance_id, step_id, step_instance, state, role, assigned_to, claimed_by, created_ticks, claimed_ticks, due_ticks, closed_ticks, outcome, body";

    /// <summary>Reads a task from a row selected with <see cref="Columns"/>.</summary>
    public static HumanTaskInfo Read(SqliteDataReader reader)
    {
        var body = TaskBodyCodec.Read((byte[])reader.GetValue(13));
        return new HumanTaskInfo
        {
            TaskId = reader.GetInt64(0),
            Instance = new InstanceId(reader.GetInt64(1)),
            StepId = reader.GetString(2),
            StepInstance = reader.GetInt32(3),
            State = (TaskState)reader.GetInt32(4),
            Role = reader.GetString(5),
            AssignedTo = reader.IsDBNull(6) ? null : reader.GetString(6),
            ClaimedBy = reader.IsDBNull(7) ? null : reader.GetString(7),
            CreatedAt = Time(reader.GetInt64(8)),
            ClaimedAt = reader.IsDBNull(9) ? null : Time(reader.GetInt64(9)),
            DueAt = reader.IsDBNull(10) ? null : Time(reader.GetInt64(10)),
            ClosedAt = reader.IsDBNull(11) ? null : Time(reader.GetInt64(11)),
            Outcome = reader.IsDBNull(12) ? null : reader.GetString(12),
            ProcessId = body.ProcessId,
            ProcessVersion = body.ProcessVersion,
            StepName = body.StepName,
            Node = body.Node,
            Outcomes = body.Outcomes,
            Item = body.Item,
        };
    }

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
