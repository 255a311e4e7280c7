using ProcessKit.Definitions;
using ProcessKit.History;

namespace ProcessKit.Execution;

/// <summary>
/// The compact form of one history event (24 bytes), kept in an array sized from the graph. What
/// most events lack (a user, a detail, a cost or value) lives apart in a <see cref="HistoryNote"/>
/// that <see cref="Note"/> points at, so an automated step's two events carry no empty fields.
/// Public <see cref="HistoryEvent"/>s are built from these on read.
/// </summary>
internal struct HistoryRecord
{
    public long UtcTicks;
    public int Node;
    public int StepInstance;

    /// <summary>One more than the index of the event's note in the instance's notes; 0 when it has none.</summary>
    public int Note;
    public short Role;
    private byte _type;
    private byte _path;

    public HistoryEventType Type
    {
        readonly get => (HistoryEventType)_type;
        set => _type = (byte)value;
    }

    public PathKind Path
    {
        readonly get => (PathKind)_path;
        set => _path = (byte)value;
    }
}

/// <summary>The rarer parts of a history event: who, what, and a cost or a value.</summary>
/// <param name="User">The acting or assigned user.</param>
/// <param name="Detail">The event's detail (an outcome, a message name, an error).</param>
/// <param name="Amount">A cost or a value in ten-thousandths (<see cref="AmountScale"/>).</param>
/// <param name="HasValue">Whether <paramref name="Amount"/> is a value (a satisfaction score) rather than a cost.</param>
internal readonly record struct HistoryNote(string? User, string? Detail, long Amount, bool HasValue)
{
    /// <summary>Cost and value are kept as ten-thousandths.</summary>
    public const decimal AmountScale = 10_000m;

    /// <summary>An amount in ten-thousandths, rounded to the nearest (0 stays 0 without arithmetic).</summary>
    public static long ToUnits(decimal amount) => amount == 0m ? 0 : (long)decimal.Round(amount * AmountScale);
}
