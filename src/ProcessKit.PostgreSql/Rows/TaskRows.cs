using System.Data.Common;
using Npgsql;
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
    public static HumanTaskInfo Read(DbDataReader r) => TaskBodyCodec.ReadRow(r);
}
