using BenchmarkDotNet.Running;
using SessionAdmin.Bench;

// dotnet run -c Release --project bench/SessionAdmin.Bench -- [BenchmarkDotNet arguments, e.g. --filter '*']
// dotnet run -c Release --project bench/SessionAdmin.Bench -- seed <sessions> <sqlite file>
if (args.Length >= 1 && args[0] == "seed") return await Seeder.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
