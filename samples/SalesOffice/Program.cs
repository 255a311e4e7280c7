using ProcessKit.Samples.SalesOffice;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await SalesOfficeApp.RunAsync(args, Console.In, Console.Out, Console.Error, cancel.Token);
