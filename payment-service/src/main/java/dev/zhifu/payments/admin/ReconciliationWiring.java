package dev.zhifu.payments.admin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects the console's reconciliation pages to reconciliation. The one place to change when reconciliation
 * (issue 6) is merged: return an adapter over its service, e.g.
 *
 * <pre>{@code
 * @Bean
 * ReconciliationConsole reconciliationConsole(ReconciliationService reconciliation) {
 *     return new ReconciliationConsoleAdapter(reconciliation);   // maps its day / discrepancy views
 * }
 * }</pre>
 *
 * Until then the pages show "no reconciliation data yet".
 */
@Configuration(proxyBeanMethods = false)
public class ReconciliationWiring {

    @Bean
    ReconciliationConsole reconciliationConsole() {
        return ReconciliationConsole.NONE;
    }
}
