package dev.zhifu.loadtest;

/** {@link DatabaseFaults} on a fresh database of the local MariaDB (127.0.0.1:3306). */
class DatabaseFaultsOnMariaDbIT extends DatabaseFaults {

    @Override
    DatabaseProxy.Wire wire() {
        return DatabaseProxy.Wire.MARIADB;
    }
}
