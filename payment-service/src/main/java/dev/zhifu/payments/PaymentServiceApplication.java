package dev.zhifu.payments;

import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.cli.Commands;
import dev.zhifu.payments.cli.StartChecks;
import dev.zhifu.payments.config.GenericTypeLookups;
import dev.zhifu.payments.config.PaymentsProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

// No user store: the API takes bearer keys and the console its own password, so Spring Security's generated user
// (and its "Using generated security password" warning at every start) would only confuse.
@SpringBootApplication(
        excludeName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
@EnableScheduling
@EnableConfigurationProperties({AlipayProperties.class, PaymentsProperties.class})
public class PaymentServiceApplication {

    public static void main(String[] args) {
        int command = Commands.dispatch(args, System.out, System.err);
        if (command != Commands.START) {
            System.exit(command);
        }
        SpringApplication application = new SpringApplication(PaymentServiceApplication.class);
        application.addListeners(new StartChecks(System.err));
        // generic-type lookups remembered once the bean definitions are frozen: a twentieth of a second start
        application.setApplicationContextFactory(GenericTypeLookups.servletContexts());
        try {
            application.run(args);
        } catch (SpringApplication.AbandonedRunException e) {
            System.exit(1); // StartChecks said why, in one line
        }
    }
}
