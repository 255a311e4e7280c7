using ProcessKit.Definitions;
using ProcessKit.History;

namespace ProcessKit.Execution;

/// <summary>
/// The compact form of one history event, kept in an array sized from the graph. Public
/// <see cref="HistoryEvent"/>s are built from these on read.
/// </summary>
internal struct HistoryRecord
{
    /// <summary>Cost and value are kept as ten-thousandths.</summary>
    public const decimal AmountScale = 10_000m;

    public long UtcTicks;
    public long Amount;
    public string? Detail;
    public string? User;
    public int Node;
    public int StepInstance;
    public HistoryEventType Type;
    public PathKind Path;
    public short Role;
    public bool HasValue;
}
