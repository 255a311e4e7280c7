using ProcessKit.Execution;

namespace ProcessKit.Samples.SalesOffice.Crm;

/// <summary>One person of the sales office and the role they work in.</summary>
internal sealed record StaffMember(string Id, string Role)
{
    /// <summary>The person as the engine sees them.</summary>
    public ProcessUser User { get; } = new(Id, [Role]);
}

/// <summary>The people of the sales office. The engine's round robin picks managers from <see cref="Members"/>.</summary>
internal sealed class SalesStaff(IReadOnlyList<StaffMember> people)
{
    /// <summary>One operator, two managers, two dispatchers and the head of sales.</summary>
    public static SalesStaff Default { get; } = new(
    [
        new("olga", "operator"),
        new("mia", "manager"),
        new("max", "manager"),
        new("dan", "dispatcher"),
        new("dora", "dispatcher"),
        new("hal", "headOfSales"),
    ]);

    public IReadOnlyList<StaffMember> People { get; } = people;

    /// <summary>The ids of the people in a role, in order (empty for an unknown role).</summary>
    public IReadOnlyList<string> Members(string role) => [.. People.Where(p => p.Role == role).Select(static p => p.Id)];

    /// <summary>The dispatchers, whom the CRM shares deals between.</summary>
    public IReadOnlyList<string> Dispatchers => Members("dispatcher");
}
