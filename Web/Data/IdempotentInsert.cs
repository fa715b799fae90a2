using Dapper;
using MySqlConnector;

namespace Site.Web.Data;

/// <summary>
/// A visitor's post stored once however often it is sent: the row and what must commit with it (the owner's mail)
/// in one transaction, or, when the post's idempotency key is already stored, the row its first post committed and
/// nothing more.
/// </summary>
public static class IdempotentInsert
{
    /// <param name="insert">An INSERT of one row into a table with a unique idempotency_key.</param>
    /// <param name="select">A SELECT of the table's row as <typeparamref name="T"/>, to be followed by a WHERE.</param>
    /// <param name="alongside">What commits with the new row, and only with it.</param>
    public static async Task<T> RunAsync<T>(
        MySqlConnection connection, string insert, string select, object parameters, string? idempotencyKey,
        Func<MySqlTransaction, Task> alongside, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"{insert}; SELECT LAST_INSERT_ID();", parameters, transaction, cancellationToken: cancellationToken));
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            // The key's first post committed (a second one waits for it on the unique index): answer with that one.
            await transaction.RollbackAsync(cancellationToken);
            return await connection.QuerySingleAsync<T>(new CommandDefinition(
                $"{select} WHERE idempotency_key = @idempotencyKey", new { idempotencyKey }, cancellationToken: cancellationToken));
        }

        await alongside(transaction);
        var stored = await connection.QuerySingleAsync<T>(new CommandDefinition(
            $"{select} WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }
}
