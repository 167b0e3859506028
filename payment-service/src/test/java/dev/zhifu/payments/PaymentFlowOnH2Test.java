package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.zhifu.payments.testing.OnH2;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@OnH2
class PaymentFlowOnH2Test extends PaymentFlowSuite {

    @Autowired
    DataSource dataSource;

    /** The test database's URL does not ask for it: the service adds it (H2Durability). */
    @Test
    void everyCommitReachesTheFileBeforeItReturns() {
        assertThat(((HikariDataSource) dataSource).getConnectionInitSql()).isEqualTo("SET WRITE_DELAY 0");
        assertThat(jdbc.sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")
                        .query(String.class)
                        .list())
                .contains("0");
    }
}
