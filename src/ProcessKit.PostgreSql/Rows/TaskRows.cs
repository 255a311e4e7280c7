using System.Data.Common;
using Npgsql;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql.Rows;

/// <summary>
/// A <see cref="HumanTaskInfo"/> as a <c>tasks</c> row: the columns queries filter on, and the body written by
/// <see cref="TaskBodyCodec"/> for the rest (process id and version, step name, outcomes, the engine's node index,
/// the multi-instance item). Times are UTC ticks and read back with a zero offset. Stateless and thread-safe.
/// </summary>
internal static class TaskRows
{
    /// <summary>Adds the row's parameters (named as in <see cref="Statements.UpsertTask"/>) to a command.</summary>
    public static void AddParameters(NpgsqlParameterCollection p, string tenant, HumanTaskInfo task)
    {
        p.AddWithValue("tenant", tenant);
        p.AddWithValue("id", task.TaskId);
        p.AddWithValue("instance_id", task.Instance.Value);
        p.AddWithValue("step_id", task.StepId);
        p.AddWithValue("step_instance", task.StepInstance);
        p.AddWithValue("state", (short)task.State);
        p.AddWithValue("role", task.Role);
        p.Add(Parameters.Text("assigned_to", task.AssignedTo));
        p.Add(Parameters.Text("claimed_by", task.ClaimedBy));
        p.AddWithValue("created_ticks", task.CreatedAt.UtcTicks);
        p.Add(Parameters.Bigint("claimed_ticks", task.ClaimedAt?.UtcTicks));
        p.Add(Parameters.Bigint("due_ticks", task.DueAt?.UtcTicks));
        p.Add(Parameters.Bigint("closed_ticks", task.ClosedAt?.UtcTicks));
        p.Add(Parameters.Text("outcome", task.Outcome));
        p.AddWithValue("body", TaskBodyCodec.Write(task));
    }

    /// <summary>Reads a row selected with <see cref="Statements.TaskColumns"/>.</summary>
    public static HumanTaskInfo Read(DbDataReader r)
    {
        var body = TaskBodyCodec.Read(r.GetFieldValue<byte[]>(13));
        return new HumanTaskInfo
        {
            TaskId = r.GetInt64(0),
            Instance = new InstanceId(r.GetInt64(1)),
            StepId = r.GetString(2),
            StepInstance = r.GetInt32(3),
            State = (TaskState)r.GetInt16(4),
            Role = r.GetString(5),
            AssignedTo = r.IsDBNull(6) ? null : r.GetString(6),
            ClaimedBy = r.IsDBNull(7) ? null : r.GetString(7),
            CreatedAt = Time(r.GetInt64(8)),
            ClaimedAt = r.IsDBNull(9) ? null : Time(r.GetInt64(9)),
            DueAt = r.IsDBNull(10) ? null : Time(r.GetInt64(10)),
            ClosedAt = r.IsDBNull(11) ? null : Time(r.GetInt64(11)),
            Outcome = r.IsDBNull(12) ? null : r.GetString(12),
            ProcessId = body.ProcessId,
            ProcessVersion = body.ProcessVersion,
            StepName = body.StepName,
            Outcomes = body.Outcomes,
            Node = body.Node,
            Item = body.Item,
        };
    }

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
