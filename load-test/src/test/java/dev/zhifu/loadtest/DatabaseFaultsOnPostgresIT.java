package dev.zhifu.loadtest;

/** {@link DatabaseFaults} on a fresh database of the local PostgreSQL (127.0.0.1:5432). */
class DatabaseFaultsOnPostgresIT extends DatabaseFaults {

    @Override
    DatabaseProxy.Wire wire() {
        return DatabaseProxy.Wire.POSTGRESQL;
    }
}
