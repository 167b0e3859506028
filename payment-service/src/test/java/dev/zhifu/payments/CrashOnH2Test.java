package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ProductionInstance;
import dev.zhifu.payments.testing.TestDatabase;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default database and a crash. An instance on an H2 file is SIGKILLed in the middle of a burst of
 * notifications, as soon as it has answered half of them {@code success}; afterwards every notification Alipay
 * (the sandbox) saw acknowledged has its effect in the file: the payment PAID, the notification recorded
 * APPLIED. Nothing else could have healed them: the sync job is held off and nothing restarts the instance. Without
 * {@code H2Durability} H2 still held the last of them in memory (up to 500 ms), and this test fails.
 */
class CrashOnH2Test {

    @RegisterExtension
    static final AlipaySandboxExtension ALIPAY = new AlipaySandboxExtension();

    @TempDir
    Path dir;

    @Test
    void everyNotificationAnsweredSuccessIsInTheFileAfterASigkill() throws Exception {
        AlipaySandbox alipay = ALIPAY.sandbox();
        Map<String, Object> db =
                TestDatabase.H2.create("crash", dir.resolve("db").toString());
        int port = ProductionInstance.freePort();
        List<String> args = ProductionInstance.args(
                port,
                alipay,
                ProductionInstance.appKeyFile(dir, ProductionInstance.appKey(alipay)),
                db,
                dir.resolve("data"),
                null,
                "--payments.sync.interval=1h");
        Process child =
                ProductionInstance.startProcess(args, dir.resolve("child.log").toFile());
        List<String> orders;
        List<String> acknowledged;
        try {
            Api api = new Api("http://127.0.0.1:" + port, ProductionInstance.API_KEY);
            ProductionInstance.awaitUp(api, child);
            orders = ProductionInstance.createQrPayments(api, 80, "c-", "3.00");
            List<String> buyers = orders;
            ExecutorService shop = Executors.newSingleThreadExecutor();
            Future<?> paying =
                    shop.submit(() -> buyers.forEach(no -> alipay.control().pay(no))); // each notified at once
            // the kill lands while the buyers are still paying and notifications are being committed and answered
            // (counted, not one chosen order: notifications are answered concurrently, so not in order)
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (orders.stream().filter(no -> acknowledged(alipay, no)).count() < orders.size() / 2) {
                assertThat(System.nanoTime())
                        .as("notifications answered success within a minute")
                        .isLessThan(until);
            }
            child.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no close, no last write
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            paying.get(60, TimeUnit.SECONDS);
            shop.shutdown();
            acknowledged =
                    orders.stream().filter(no -> acknowledged(alipay, no)).toList();
            assertThat(acknowledged).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(orders.size() / 2);
        } finally {
            child.destroyForcibly();
        }

        // the file as the next start would find it
        try (Connection c =
                DriverManager.getConnection(db.get("spring.datasource.url").toString(), "sa", "")) {
            List<String> missing = new ArrayList<>();
            for (String no : acknowledged) {
                if (!"PAID".equals(one(c, "SELECT status FROM payments WHERE out_trade_no = ?", no))
                        || !"APPLIED"
                                .equals(one(
                                        c,
                                        "SELECT MAX(outcome) FROM received_notifications "
                                                + "WHERE out_trade_no = ? AND outcome = 'APPLIED'",
                                        no))) {
                    missing.add(no);
                }
            }
            assertThat(missing)
                    .as("acknowledged to Alipay, but not in the file after the crash")
                    .isEmpty();
        }
    }

    private static boolean acknowledged(AlipaySandbox alipay, String outTradeNo) {
        for (JsonNode notification : alipay.control().notifications(outTradeNo)) {
            if (notification.get("acknowledged").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    private static String one(Connection c, String sql, String parameter) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
