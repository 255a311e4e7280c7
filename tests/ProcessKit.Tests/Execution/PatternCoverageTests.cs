using System.Reflection;

namespace ProcessKit.Tests.Execution;

/// <summary>Issue 3 asks for a test named after each workflow and resource pattern; this keeps the names from drifting away.</summary>
public sealed class PatternCoverageTests
{
    public static TheoryData<string> Patterns() =>
    [
        "WCP1_Sequence", "WCP2_Parallel_split", "WCP3_Synchronization", "WCP4_Exclusive_choice", "WCP5_Simple_merge",
        "WCP6_Multi_choice", "WCP7_Structured_synchronizing_merge", "WCP10_Arbitrary_cycle", "WCP11_Implicit_termination",
        "WCP14_", "WCP16_Deferred_choice", "WCP19_Cancel_task", "WCP20_Cancel_case", "WCP24_Persistent_trigger",
        "Resource_role_based", "Resource_deferred_allocation", "Resource_direct_allocation", "Resource_separation_of_duties",
        "Resource_retain_familiar", "Resource_round_robin", "Resource_shortest_queue", "Resource_delegation", "Resource_escalation",
    ];

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Every_pattern_of_issue_3_has_a_test_named_after_it(string prefix)
    {
        var tests = typeof(PatternCoverageTests).Assembly.GetTypes()
            .SelectMany(static t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(static m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
            .Select(static m => m.Name);

        Assert.Contains(tests, name => name.StartsWith(prefix, StringComparison.Ordinal));
    }
}
