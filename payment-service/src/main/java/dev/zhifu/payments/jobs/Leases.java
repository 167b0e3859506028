package dev.zhifu.payments.jobs;

import static dev.zhifu.payments.storage.Times.db;

import dev.zhifu.payments.storage.ClaimLocks;
import dev.zhifu.payments.storage.Ids;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Row leases for background work on several instances sharing one database. A row is taken by
 * {@code SELECT … FOR UPDATE SKIP LOCKED} (PostgreSQL, MySQL 8, MariaDB 10.6+; a plain SELECT on H2:
 * {@link ClaimLocks}) and then a conditional {@code UPDATE … SET lease_owner, lease_until WHERE lease is free},
 * which alone is enough on a database that would not skip: whoever updates zero rows did not get it. A lease
 * names this instance and expires, so the work of an instance that died is taken again once {@code lease_until}
 * has passed.
 * No Redis, no cluster protocol: the database is the lock. What a job takes is a {@link LeasedJob}, declared
 * by the feature that owns the table; the SQL here is built from nothing else.
 */
@Component
public class Leases {

    /**
     * The tables whose rows carry {@code lease_owner} / {@code lease_until} (V1__payments.sql): the only ones a
     * {@link LeasedJob} may name, and the ones {@link #releaseAll} gives back (payment_events too, which the
     * outbox leases with its own query and {@link #owner()}).
     */
    public static final Set<String> TABLES = Set.of("payments", "refunds", "payment_events");

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ClaimLocks locks;
    private final String owner;

    public Leases(JdbcClient jdbc, TransactionTemplate tx, ClaimLocks locks) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.locks = locks;
        this.owner = host() + "-" + ProcessHandle.current().pid() + "-" + Ids.random(6);
    }

    /** This instance's name in {@code lease_owner}. */
    public String owner() {
        return owner;
    }

    /**
     * Takes up to {@code limit} of the job's due rows whose lease is free or expired, in the job's order;
     * answers their ids.
     */
    public List<String> claim(LeasedJob job, Instant now, Duration lease, int limit) {
        String table = job.table();
        return tx.execute(status -> {
            List<String> candidates = jdbc.sql(claimSql(job, limit))
                    .params(job.params().apply(now))
                    .param("leaseNow", db(now))
                    .query(String.class)
                    .list();
            List<String> taken = new ArrayList<>(candidates.size());
            for (String id : candidates) {
                if (take(table, id, "1 = 1", Map.of(), now, lease)) {
                    taken.add(id);
                }
            }
            return taken;
        });
    }

    /**
     * The claim's SELECT, with the named parameters of the job's condition and {@code :leaseNow}; public so that a
     * test can ask the database for its plan (a claim must read the rows it takes, not the whole backlog).
     */
    public String claimSql(LeasedJob job, int limit) {
        return "SELECT id FROM " + job.table() + " WHERE (" + job.due() + ") AND "
                + "(lease_until IS NULL OR lease_until < :leaseNow) ORDER BY " + job.orderBy() + " LIMIT "
                + Math.max(1, limit) + locks.skipLocked();
    }

    /** Takes one row of the job when its lease is free and it is due; false when someone else has it. */
    public boolean claimOne(LeasedJob job, String id, Instant now, Duration lease) {
        return take(job.table(), id, job.due(), job.params().apply(now), now, lease);
    }

    private boolean take(
            String table, String id, String where, Map<String, Object> params, Instant now, Duration lease) {
        return jdbc.sql("UPDATE " + table
                                + " SET lease_owner = :leaseOwner, lease_until = :leaseUntil WHERE id = :leaseId "
                                + "AND (lease_until IS NULL OR lease_until < :leaseNow) AND (" + where + ")")
                        .params(params)
                        .param("leaseOwner", owner)
                        .param("leaseUntil", db(now.plus(lease)))
                        .param("leaseId", id)
                        .param("leaseNow", db(now))
                        .update()
                == 1;
    }

    /** Gives a row of the job back (only if this instance still holds it). */
    public void release(LeasedJob job, String id) {
        jdbc.sql("UPDATE " + job.table() + " SET lease_owner = NULL, lease_until = NULL "
                        + "WHERE id = ? AND lease_owner = ?")
                .params(id, owner)
                .update();
    }

    /** Gives back every row this instance holds (graceful shutdown); answers how many. */
    public int releaseAll() {
        int released = 0;
        for (String table : TABLES) {
            released += jdbc.sql(
                            "UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?")
                    .param(owner)
                    .update();
        }
        return released;
    }

    private static String host() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.length() > 30 ? name.substring(0, 30) : name;
        } catch (Exception e) {
            return "host";
        }
    }
}
