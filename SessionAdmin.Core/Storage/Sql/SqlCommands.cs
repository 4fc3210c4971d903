using System.Data.Common;
using System.Globalization;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>Parameterised commands and the store's value conventions (times are UTC ticks), for both providers.</summary>
internal static class SqlCommands
{
    /// <summary>A command on <paramref name="connection"/>; the caller disposes it.</summary>
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        Bind(cmd.Parameters, cmd.CreateParameter, args);
        return cmd;
    }

    /// <summary>Adds <paramref name="args"/> (null as <see cref="DBNull"/>) to a command's or a batch command's parameters.</summary>
    public static void Bind(DbParameterCollection parameters, Func<DbParameter> create, (string Name, object? Value)[] args)
    {
        foreach (var (name, value) in args)
        {
            var p = create();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            parameters.Add(p);
        }
    }

    public static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    public static DateTime? UtcOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : Utc(r.GetInt64(i));

    public static string? StringOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static long ToInt64(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>Reads (id, last access) rows.</summary>
    public static List<(string Id, DateTime LastAccessUtc)> ReadIdsAndTimes(DbCommand cmd)
    {
        var list = new List<(string, DateTime)>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add((r.GetString(0), Utc(r.GetInt64(1))));
        return list;
    }
}
