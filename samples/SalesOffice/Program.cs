using ProcessKit.Samples.SalesOffice;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops between two steps of the day (or two commands of play); a second one ends at once.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};

return await SalesOfficeApp.RunAsync(args, Console.In, Console.Out, Console.Error, cancel.Token);
