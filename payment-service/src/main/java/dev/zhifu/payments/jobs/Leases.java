package dev.zhifu.payments.jobs;

import static dev.zhifu.payments.storage.Times.db;

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
 * {@code SELECT … FOR UPDATE SKIP LOCKED} (PostgreSQL, MySQL 8, MariaDB 10.6+; H2 accepts the clause) and then
 * a conditional {@code UPDATE … SET lease_owner, lease_until WHERE lease is free}, which alone is enough on a
 * database that would not skip: whoever updates zero rows did not get it. A lease names this instance and
 * expires, so the work of an instance that died is taken again once {@code lease_until} has passed.
 * No Redis, no cluster protocol: the database is the lock.
 */
@Component
public class Leases {

    /** The tables whose rows carry {@code lease_owner} / {@code lease_until}. */
    public static final Set<String> TABLES = Set.of("payments", "refunds", "payment_events");

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final String owner;

    public Leases(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.owner = host() + "-" + ProcessHandle.current().pid() + "-" + Ids.random(6);
    }

    /** This instance's name in {@code lease_owner}. */
    public String owner() {
        return owner;
    }

    /**
     * Takes up to {@code limit} rows of {@code table} matching {@code where} (named parameters in
     * {@code params}) whose lease is free or expired, in {@code orderBy} order; answers their ids.
     */
    public List<String> claim(String table, String where, Map<String, Object> params, String orderBy, Instant now,
                              Duration lease, int limit) {
        check(table);
        return tx.execute(status -> {
            List<String> candidates = jdbc.sql("SELECT id FROM " + table + " WHERE (" + where + ") AND "
                            + "(lease_until IS NULL OR lease_until < :leaseNow) ORDER BY " + orderBy + " LIMIT "
                            + Math.max(1, limit) + " FOR UPDATE SKIP LOCKED")
                    .params(params).param("leaseNow", db(now)).query(String.class).list();
            List<String> taken = new ArrayList<>(candidates.size());
            for (String id : candidates) {
                if (take(table, id, "1 = 1", Map.of(), now, lease)) {
                    taken.add(id);
                }
            }
            return taken;
        });
    }

    /** Takes one row when its lease is free and {@code where} holds; false when someone else has it. */
    public boolean claimOne(String table, String id, String where, Map<String, Object> params, Instant now,
                            Duration lease) {
        check(table);
        return take(table, id, where, params, now, lease);
    }

    private boolean take(String table, String id, String where, Map<String, Object> params, Instant now,
                         Duration lease) {
        return jdbc.sql("UPDATE " + table + " SET lease_owner = :leaseOwner, lease_until = :leaseUntil WHERE id = :leaseId "
                        + "AND (lease_until IS NULL OR lease_until < :leaseNow) AND (" + where + ")")
                .params(params).param("leaseOwner", owner).param("leaseUntil", db(now.plus(lease)))
                .param("leaseId", id).param("leaseNow", db(now)).update() == 1;
    }

    /** Gives a row back (only if this instance still holds it). */
    public void release(String table, String id) {
        check(table);
        jdbc.sql("UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")
                .params(id, owner).update();
    }

    /** Gives back every row this instance holds (graceful shutdown); answers how many. */
    public int releaseAll() {
        int released = 0;
        for (String table : TABLES) {
            released += jdbc.sql("UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?")
                    .param(owner).update();
        }
        return released;
    }

    private static void check(String table) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("no leases on " + table);
        }
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
