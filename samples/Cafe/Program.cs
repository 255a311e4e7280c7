using ProcessKit.Samples.Cafe;

return await CafeApp.RunAsync(args, Console.In, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
