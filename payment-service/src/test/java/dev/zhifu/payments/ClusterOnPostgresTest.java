package dev.zhifu.payments;

import dev.zhifu.payments.testing.DatabaseAvailable;
import dev.zhifu.payments.testing.TestDatabase;
import dev.zhifu.payments.testing.UsesDatabase;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DatabaseAvailable.class)
@ClusterOnPostgresTest.Postgres
class ClusterOnPostgresTest extends ClusterSuite {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @UsesDatabase(TestDatabase.POSTGRES)
    @interface Postgres {}
}
