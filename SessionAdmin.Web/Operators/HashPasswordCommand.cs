namespace SessionAdmin.Web.Operators;

/// <summary>The command-line helper that hashes an operator password.</summary>
internal static class HashPasswordCommand
{
    /// <summary><c>hash-password [password]</c>: prints a hash for <c>Admin:Operators</c> (reads stdin when no argument).</summary>
    public static bool TryRun(string[] args)
    {
        if (args.Length == 0 || args[0] != "hash-password") return false;
        var password = args.Length > 1 ? args[1] : Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("usage: hash-password <password>   (or the password on standard input)");
            Environment.ExitCode = 2;
            return true;
        }
        Console.WriteLine(OperatorDirectory.Hash(password));
        return true;
    }
}
