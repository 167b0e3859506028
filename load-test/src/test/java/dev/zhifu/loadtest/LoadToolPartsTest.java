package dev.zhifu.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadToolPartsTest {

    @Test
    void onlyLoopbackTargets() {
        for (String ok : new String[] {"http://127.0.0.1:8080", "http://localhost:1/x", "http://127.1.2.3:9",
                "http://[::1]:8080/", "http://LOCALHOST:80"}) {
            assertThat(Loopback.require(ok)).as(ok).isNotNull();
        }
        for (String bad : new String[] {"http://10.0.0.1:8080", "http://example.com", "http://127.0.0.1.nip.io:80",
                "http://localhost.example.com", "https://127.0.0.1", "http://0.0.0.0:8080", "http://[::2]:80",
                "http://128.0.0.1", "http://127.0.0.256", "ftp://127.0.0.1", "http://[::ffff:8.8.8.8]:80", "nonsense"}) {
            assertThatThrownBy(() -> Loopback.require(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readsOpensslSpeedOutput() {
        String out = """
                version: 3.0.19
                                  sign    verify    sign/s verify/s
                rsa 2048 bits 0.000446s 0.000030s   2242.0  33332.2
                """;
        OpensslSpeed.Rates r = OpensslSpeed.parse("openssl speed", out);
        assertThat(r.signPerSecond()).isEqualTo(2242.0);
        assertThat(r.verifyPerSecond()).isEqualTo(33332.2);
        // 2 signs + 2 verifies per create
        assertThat(OpensslSpeed.createFloor(new OpensslSpeed.Rates("x", 1000, 1000))).isEqualTo(250.0);
    }

    @Test
    void sumsHeapPoolsFromPrometheus() {
        String text = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 6.291456E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.0E7
                """;
        assertThat(ServiceProcess.heapFromPrometheus(text)).isEqualTo(82_914_560L);
        assertThat(ServiceProcess.heapFromPrometheus("nothing")).isEqualTo(-1);
    }

    @Test
    void percentiles() {
        Latencies l = new Latencies(100);
        for (int i = 1; i <= 100; i++) {
            l.add(i * 1_000_000L);
        }
        assertThat(l.percentileMillis(0.5)).isEqualTo(50.0);
        assertThat(l.percentileMillis(0.99)).isEqualTo(99.0);
        assertThat(new Latencies(1).percentileMillis(0.5)).isNaN();
    }
}
