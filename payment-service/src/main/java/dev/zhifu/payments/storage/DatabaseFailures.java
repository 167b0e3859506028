package dev.zhifu.payments.storage;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the database itself (unreachable, connection lost, no answer within the bounds of
 * {@link DatabaseProperties}) from a statement the database refused (a duplicate key, a deadlock, a bug). The first
 * is answered 503 {@code database_unavailable} on the API and {@code failure} to Alipay, so that callers retry; it
 * is never retried at once in the request, which would only hold the worker thread longer.
 */
public final class DatabaseFailures {

    private static final int MAX_DEPTH = 16;

    private DatabaseFailures() {}

    /** Whether {@code failure}, or one of its causes, says the database could not be used just now. */
    public static boolean unavailable(Throwable failure) {
        Throwable t = failure;
        boolean database = false; // a socket failure counts only below a database exception, not an Alipay call's
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            database |=
                    t instanceof DataAccessException || t instanceof SQLException || t instanceof TransactionException;
            if (t instanceof DataAccessResourceFailureException // CannotGetJdbcConnectionException too
                    || t instanceof CannotCreateTransactionException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof QueryTimeoutException
                    || t instanceof SQLTransientConnectionException // the pool gave up waiting
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException
                    || t instanceof SQLTimeoutException) {
                return true;
            }
            if (database
                    && (t instanceof SocketTimeoutException
                            || t instanceof ConnectException
                            || t instanceof SocketException)) {
                return true;
            }
            if (t instanceof SQLException sql && unavailableState(sql.getSQLState())) {
                return true;
            }
            // a commit or rollback the driver could not even classify: the connection is gone, the pool has
            // closed it ("Connection is closed"), and what the transaction did is unknown
            if (t instanceof TransactionSystemException tse
                    && (tse.getCause() instanceof SQLException
                            || tse.getApplicationException() != null && unavailable(tse.getApplicationException()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception), 57014 (statement cancelled: our statement timeout), 57P0x (the
     * server is shutting down or restarting), 70100 (MariaDB's max_statement_time).
     */
    static boolean unavailableState(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.equals("57014")
                        || state.startsWith("57P")
                        || state.equals("70100"));
    }
}
