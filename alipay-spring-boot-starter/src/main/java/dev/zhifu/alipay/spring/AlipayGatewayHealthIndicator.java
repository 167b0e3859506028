package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.AlipayConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether the Alipay gateway can be reached: a TCP connect within the client's connect timeout. No request
 * is signed or sent, so probing costs Alipay nothing. Meant for readiness, not liveness: a gateway outage
 * must not get the service restarted. The gateway is that of the client in use at each check; while there is
 * none yet, the indicator says out of service.
 */
public final class AlipayGatewayHealthIndicator extends AbstractHealthIndicator {

    private final AlipayClientSource source;

    public AlipayGatewayHealthIndicator(AlipayClientSource source) {
        super("Alipay gateway health check failed");
        this.source = source;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        AlipayConfig config;
        try {
            config = source.client().config();
        } catch (IllegalStateException notYet) {
            builder.outOfService().withDetail("reason", String.valueOf(notYet.getMessage()));
            return;
        }
        URI gateway = config.gatewayUrl();
        int port = gateway.getPort() != -1 ? gateway.getPort() : "https".equals(gateway.getScheme()) ? 443 : 80;
        builder.withDetail("gateway", gateway.getScheme() + "://" + gateway.getHost() + ":" + port);
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(gateway.getHost(), port), (int)
                    config.connectTimeout().toMillis());
            builder.up().withDetail("connectMillis", (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            builder.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
