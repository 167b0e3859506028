package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.AlipayCallListener;
import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipayConfig;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * An {@link AlipayClient} from {@code alipay.*} properties, when {@code alipay.app-id} is set and the application
 * has no {@link AlipayClientSource} of its own. Every {@link AlipayCallListener} bean (the Micrometer one among
 * them) hears every call.
 */
@AutoConfiguration
@ConditionalOnClass(AlipayClient.class)
@ConditionalOnProperty(prefix = "alipay", name = "app-id")
@ConditionalOnMissingBean(AlipayClientSource.class)
@EnableConfigurationProperties(AlipayProperties.class)
public class AlipayAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public AlipayConfig alipayConfig(AlipayProperties properties, ObjectProvider<AlipayCallListener> listeners) {
        List<AlipayCallListener> all = listeners.orderedStream().toList();
        return AlipayConfigFactory.create(properties, event -> all.forEach(l -> l.onCall(event)));
    }

    @Bean
    @ConditionalOnMissingBean
    public AlipayClient alipayClient(AlipayConfig config) {
        return new AlipayClient(config);
    }

    @Bean
    public AlipayClientSource alipayClientSource(AlipayClient client) {
        return () -> client;
    }
}
