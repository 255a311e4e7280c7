namespace ProcessKit.Definitions;

/// <summary>
/// The stable codes of <see cref="DefinitionProblem.Code"/>, one per rule. Match on these rather
/// than on messages, which may be reworded.
/// </summary>
public static class DefinitionProblemCodes
{
    /// <summary>The document is not well-formed JSON (or not UTF-8 text).</summary>
    public const string JsonSyntax = "json-syntax";

    /// <summary>The document does not match the JSON Schema of the format.</summary>
    public const string JsonSchema = "json-schema";

    /// <summary>The document is over a limit: size, depth, number of steps or expression length.</summary>
    public const string Limit = "limit";

    /// <summary>A required value is missing or empty.</summary>
    public const string Required = "required";

    /// <summary>An id or name is not in the allowed form.</summary>
    public const string InvalidId = "invalid-id";

    /// <summary>Two steps, roles, fields, suppliers, clients, deadlines or outcomes share an id.</summary>
    public const string DuplicateId = "duplicate-id";

    /// <summary>A flow, deadline, escalation or allocation names a step that does not exist.</summary>
    public const string UnknownStep = "unknown-step";

    /// <summary>A step cannot be reached from the start step.</summary>
    public const string UnreachableStep = "unreachable-step";

    /// <summary>No path leads from a step to an end step.</summary>
    public const string NoPathToEnd = "no-path-to-end";

    /// <summary>A decision (or inclusive split) has no default flow, or more than one.</summary>
    public const string DecisionWithoutDefault = "decision-without-default";

    /// <summary>A join or merge names no split, or a split of the wrong kind.</summary>
    public const string JoinWithoutSplit = "join-without-split";

    /// <summary>A split is never joined, joined twice, or a branch never reaches its join.</summary>
    public const string SplitNeverJoined = "split-never-joined";

    /// <summary>A step, escalation or the owner names a role that is not declared.</summary>
    public const string UnknownRole = "unknown-role";

    /// <summary>A human task has no responsible role.</summary>
    public const string TaskWithoutRole = "task-without-role";

    /// <summary>A human task's outcome has no flow, or a flow names an undeclared outcome.</summary>
    public const string OutcomeWithoutRoute = "outcome-without-route";

    /// <summary>An expression does not parse.</summary>
    public const string ExpressionSyntax = "expression-syntax";

    /// <summary>An expression uses a field that no input, step or mapping declares.</summary>
    public const string UnknownField = "unknown-field";

    /// <summary>An expression calls a function the language does not have.</summary>
    public const string UnknownFunction = "unknown-function";

    /// <summary>A duration is zero or negative, or a number is out of its range.</summary>
    public const string InvalidValue = "invalid-value";

    /// <summary>A step has flows its kind does not allow (too many, too few, a condition where none belongs).</summary>
    public const string InvalidFlow = "invalid-flow";

    /// <summary>A process calls itself as a sub-process on every path, so it can never end.</summary>
    public const string RecursiveSubProcess = "recursive-sub-process";

    /// <summary>Warning: a loop of automated steps never waits for anything, so it may never stop.</summary>
    public const string AutomatedLoop = "automated-loop";

    /// <summary>The definition holds a C# lambda and so cannot be written to JSON.</summary>
    public const string LambdaNotExportable = "lambda-not-exportable";
}
