package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.alipay.DemoListensOnLoopback;
import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ProductionInstance;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/**
 * The demo's /sandbox/* control API pays any trade and needs no key: the demo listens on 127.0.0.1 unless
 * {@code server.address} says otherwise. Where the server listens is read from the kernel's socket table
 * ({@code /proc/net/tcp*}), so the test sends nothing to any address but loopback.
 */
class DemoListensOnLoopbackTest {

    @TempDir
    Path dir;

    @Test
    void theDemoListensOnLoopbackOnly() throws IOException {
        int port = ProductionInstance.freePort();
        try (ConfigurableApplicationContext demo =
                ProductionInstance.start(List.of("--server.port=" + port, "--payments.data-dir=" + dir))) {
            assertThat(demo.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
            assertThat(new Api("http://127.0.0.1:" + port, "x")
                            .get("/actuator/health")
                            .status())
                    .isEqualTo(200);
            List<String> listening = listeningAddresses(port);
            if (listening != null) {
                assertThat(listening).containsExactly("127.0.0.1");
            }
        }
    }

    @Test
    void serverAddressSetExplicitlyWins() throws IOException {
        int port = ProductionInstance.freePort();
        try (ConfigurableApplicationContext demo = ProductionInstance.start(
                List.of("--server.port=" + port, "--payments.data-dir=" + dir, "--server.address=0.0.0.0"))) {
            assertThat(demo.getEnvironment().getProperty("server.address")).isEqualTo("0.0.0.0");
            List<String> listening = listeningAddresses(port);
            if (listening != null) {
                assertThat(listening).containsAnyOf("0.0.0.0", "::");
            }
        }
    }

    @Test
    void productionAndConfiguredAddressesAreLeftAlone() {
        MockEnvironment production =
                new MockEnvironment().withProperty("alipay.gateway-url", "https://openapi.alipay.com/gateway.do");
        new DemoListensOnLoopback().postProcessEnvironment(production, new SpringApplication());
        assertThat(production.getProperty("server.address")).isNull();

        MockEnvironment configured = new MockEnvironment().withProperty("server.address", "192.0.2.10");
        new DemoListensOnLoopback().postProcessEnvironment(configured, new SpringApplication());
        assertThat(configured.getProperty("server.address")).isEqualTo("192.0.2.10");
    }

    /** The local addresses of the sockets listening on {@code port}, or null where there is no /proc/net. */
    static List<String> listeningAddresses(int port) throws IOException {
        Path tcp = Path.of("/proc/net/tcp");
        Path tcp6 = Path.of("/proc/net/tcp6");
        if (!Files.isReadable(tcp)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Path table : Files.isReadable(tcp6) ? List.of(tcp, tcp6) : List.of(tcp)) {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (!f[3].equals("0A") || Integer.parseInt(local[1], 16) != port) { // 0A: LISTEN
                    continue;
                }
                out.add(address(local[0]));
            }
        }
        return out;
    }

    /** /proc/net writes an address as 32-bit words, each in the machine's (here little-endian) byte order. */
    private static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        InetAddress address = InetAddress.getByAddress(bytes); // ::ffff:127.0.0.1 comes back as 127.0.0.1
        return address.isAnyLocalAddress() && address instanceof Inet6Address ? "::" : address.getHostAddress();
    }
}
