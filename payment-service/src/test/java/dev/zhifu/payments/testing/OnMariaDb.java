package dev.zhifu.payments.testing;

import dev.zhifu.payments.PaymentServiceApplication;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/** The service in demo mode on a real port, on a fresh MariaDb database; one context shared by every class so marked. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DatabaseAvailable.class)
@UsesDatabase(TestDatabase.MARIADB)
@SpringBootTest(
        classes = {PaymentServiceApplication.class, TestClockConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "test.database=mariadb",
            ServiceSuite.SELLER_PROPERTY,
            "payments.demo.buyer-confirm-delay=1s",
            "payments.barcode.first-poll=200ms",
            "payments.barcode.max-poll=1s",
            "payments.barcode.deadline=8s",
            "payments.sync.interval=1h",
            "alipay.read-timeout=10s"
        })
@ContextConfiguration(initializers = DatabaseInitializer.class)
public @interface OnMariaDb {}
