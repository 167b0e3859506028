package dev.zhifu.payments;

import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.cli.Commands;
import dev.zhifu.payments.config.PaymentsProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties({AlipayProperties.class, PaymentsProperties.class})
public class PaymentServiceApplication {

    public static void main(String[] args) {
        if (args.length > 0 && Commands.isCommand(args[0])) {
            System.exit(Commands.run(args));
        }
        SpringApplication.run(PaymentServiceApplication.class, args);
    }
}
