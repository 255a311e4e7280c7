namespace ProcessKit.Samples.SalesOffice;

/// <summary>A problem the program reports as one line and exit code 1 (a bad file, a missing database).</summary>
internal sealed class SalesOfficeException(string message) : Exception(message);
