namespace ProcessKit.Definitions;

/// <summary>The kind of a business process, as the process method classifies them.</summary>
public enum ProcessKind
{
    /// <summary>A process that earns money for the company: sales, service, production.</summary>
    Core,

    /// <summary>A process that keeps the core processes running: accounting, HR, IT support.</summary>
    Supporting,

    /// <summary>A process that steers the company: risk, strategy, governance.</summary>
    Management,
}
