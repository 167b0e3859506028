package dev.zhifu.sandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.sandbox.AlipaySandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private AlipaySandbox start(String... args) throws Exception {
        return SandboxMain.start(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsExactlyTheReadyLineAndAnswersHealth() throws Exception {
        KeyPair app = AlipayKeys.generateRsa2048();
        KeyPair alipay = AlipayKeys.generateRsa2048();
        Path appPub = Files.writeString(dir.resolve("app.pem"), AlipayKeys.toPem(app.getPublic()));
        Path alipayKey = Files.writeString(dir.resolve("alipay.txt"), AlipayKeys.toBase64(alipay.getPrivate()));
        Path pubOut = dir.resolve("alipay_public.pem");
        try (AlipaySandbox sandbox = start(
                "--port",
                "0",
                "--app-id",
                "2021000000000099",
                "--app-public-key",
                appPub.toString(),
                "--alipay-private-key",
                alipayKey.toString(),
                "--alipay-public-key-out",
                pubOut.toString(),
                "--seller-id",
                "2088000000000099",
                "--time-scale",
                "60")) {
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .isEqualTo("alipay-sandbox ready: http://127.0.0.1:" + sandbox.port() + "/gateway.do"
                            + System.lineSeparator());
            assertThat(sandbox.appId()).isEqualTo("2021000000000099");
            assertThat(AlipayKeys.publicKey(Files.readString(pubOut), "out")).isEqualTo(alipay.getPublic());
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(sandbox.controlUrl() + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutAnAppKeyItSaysWhereTheGeneratedPrivateKeyIs() throws Exception {
        try (AlipaySandbox sandbox = start("--port", "0")) {
            String message = err.toString(StandardCharsets.UTF_8);
            assertThat(message).contains("app_private_key.pem");
            Path pem = Path.of(message.replaceAll("(?s).*Sign requests with (\\S+) .*", "$1"));
            assertThat(AlipayKeys.publicKeyOf(AlipayKeys.readPrivateKey(pem))).isEqualTo(sandbox.appPublicKey());
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pem)))
                    .isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(pem.getParent())))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void aStartThatFailsLeavesNoGeneratedKeyBehind() throws Exception {
        try (AlipaySandbox first =
                start("--port", "0", "--app-public-key", writeAppPublicKey().toString())) {
            long before = generatedKeyDirs();
            assertThatThrownBy(() -> start("--port", String.valueOf(first.port())))
                    .hasMessageContaining("--port");
            assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Sign requests with");
            assertThat(generatedKeyDirs()).isEqualTo(before);
        }
    }

    private Path writeAppPublicKey() throws Exception {
        return Files.writeString(
                dir.resolve("app_pub.pem"),
                AlipayKeys.toPem(AlipayKeys.generateRsa2048().getPublic()));
    }

    private static long generatedKeyDirs() throws Exception {
        try (var listing = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return listing.filter(p -> p.getFileName().toString().startsWith("alipay-sandbox-app-key-"))
                    .count();
        }
    }

    @Test
    void badFlagsAndUnreadableFilesNameTheFlagAndFile() {
        assertThatThrownBy(() -> start("--bogus")).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> start("--port", "eighty")).hasMessageContaining("--port");
        assertThatThrownBy(() -> start("--time-scale", "0")).hasMessageContaining("--time-scale");
        assertThatThrownBy(() -> start("--app-public-key", "/nonexistent/app.pem"))
                .hasMessageContaining("--app-public-key")
                .hasMessageContaining("/nonexistent/app.pem");
        assertThatThrownBy(() -> {
                    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a key");
                    start("--alipay-private-key", junk.toString());
                })
                .hasMessageContaining("--alipay-private-key")
                .hasMessageContaining("junk.pem")
                .satisfies(e -> assertThat(e.getMessage().split("--alipay-private-key", -1))
                        .as("named once")
                        .hasSize(2));
    }

    @Test
    void aStateFileKeepsTheTradesForTheNextStart() throws Exception {
        Path state = dir.resolve("trades.jsonl");
        String no = "CLI" + System.nanoTime();
        try (AlipaySandbox first = start("--port", "0", "--state-file", state.toString())) {
            com.alipay.api.AlipayClient client = new com.alipay.api.DefaultAlipayClient(
                    first.gatewayUrl(),
                    first.appId(),
                    first.appPrivateKeyBase64(),
                    "json",
                    "UTF-8",
                    first.alipayPublicKeyBase64(),
                    "RSA2");
            com.alipay.api.request.AlipayTradeCreateRequest create =
                    new com.alipay.api.request.AlipayTradeCreateRequest();
            create.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"3.00\",\"subject\":\"cli\"}");
            assertThat(client.execute(create).isSuccess()).isTrue();
            first.control().pay(no);
        }
        try (AlipaySandbox second = start("--port", "0", "--state-file", state.toString())) {
            assertThat(second.control().trade(no).get("trade_status").asText()).isEqualTo("TRADE_SUCCESS");
        }
        assertThatThrownBy(() -> start("--state-file", dir.toString()))
                .hasMessageContaining("--state-file")
                .hasMessageContaining(dir.toString());
        assertThatThrownBy(() -> start(
                        "--state-file", dir.resolve("no/such/dir/trades.jsonl").toString()))
                .hasMessageContaining("--state-file")
                .hasMessageContaining("directory must exist");
    }

    @Test
    void helpPrintsUsage() throws Exception {
        assertThat(start("--help")).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--alipay-public-key-out")
                .contains("--time-scale")
                .contains("--state-file");
    }
}
