using E = SessionAdmin.Core.Storage.Schema.Entries;
using S = SessionAdmin.Core.Storage.Schema.Sessions;
using Settings = SessionAdmin.Core.Storage.Schema.Settings;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// Keeps <c>sessions.principal</c> true to the configured principal key: when the key differs from the one the store
/// was indexed under (<c>store_settings</c>), one UPDATE recomputes every session's principal from its values.
/// </summary>
internal sealed class PrincipalIndex(StoreDialect dialect, StoreWriter writer)
{
    private const string PrincipalKeySetting = "principal_key";

    public void Ensure(string? principalKey) => writer.InTransaction(tx =>
    {
        // Nodes starting together re-index once: the second waits here, then finds the key recorded.
        dialect.LockPrincipals(tx, [PrincipalKeySetting]);
        using (var read = tx.OneOff($"SELECT {Settings.Value} FROM {Settings.Table} WHERE {Settings.Name} = @name", ("@name", PrincipalKeySetting)))
        using (var r = read.ExecuteReader())
        {
            if (r.Read() && SqlCommands.StringOrNull(r, 0) == principalKey) return;
        }
        // The same rule as Session.Principal: a non-empty string (stored as plain text) names the principal.
        using (var reindex = tx.OneOff(principalKey is null
            ? $"UPDATE {S.Table} SET {S.Principal} = NULL WHERE {S.Principal} IS NOT NULL"
            : $"UPDATE {S.Table} SET {S.Principal} = (SELECT e.{E.Payload} FROM {E.Table} e WHERE e.{E.SessionId} = {S.Table}.{S.Id} " +
              $"AND e.{E.Kind} = {(int)SessionEntryKind.Value} AND e.{E.Key} = @key AND e.{E.TypeTag} = 'str' AND e.{E.Payload} <> '' " +
              $"AND length(e.{E.Payload}) <= {Session.MaxPrincipalLength})",
            ("@key", principalKey)))
        {
            reindex.ExecuteNonQuery();
        }
        using var write = tx.OneOff(
            $"INSERT INTO {Settings.Table} ({Settings.Name}, {Settings.Value}) VALUES (@name, @value) " +
            $"ON CONFLICT ({Settings.Name}) DO UPDATE SET {Settings.Value} = excluded.{Settings.Value}",
            ("@name", PrincipalKeySetting), ("@value", principalKey));
        write.ExecuteNonQuery();
    });
}
