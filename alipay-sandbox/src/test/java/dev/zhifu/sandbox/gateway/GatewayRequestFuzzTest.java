package dev.zhifu.sandbox.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.fixtures.FuzzInput;
import dev.zhifu.sandbox.AlipaySandbox;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxHandler;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.time.ManualTime;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * {@code gateway.do} reads whatever a merchant's client posts: the charset from the query, the body or the
 * Content-Type, a form in that charset, the common parameters, the signature and {@code biz_content}. Whatever
 * the request, the sandbox answers it (an Alipay-style error when it is wrong), never with a 5xx or an
 * exception, as the real gateway does. Requests signed with the app key reach {@code biz_content} parsing
 * and the trade desk too. The sandbox runs on a manual clock, so nothing is scheduled, and every
 * {@code notify_url} is taken out: the fuzzer must not make it send anything anywhere. The app pay endpoint,
 * which reads the order string the Alipay app posts, is held to the same.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/zhifu/sandbox/gateway/GatewayRequestFuzzTestInputs/}.
 */
class GatewayRequestFuzzTest {

    private static final ManualTime TIME = new ManualTime(Instant.parse("2024-06-01T04:00:00Z"));
    private static final AlipaySandbox SANDBOX =
            AlipaySandbox.builder().clock(TIME).scheduler(TIME).build();
    private static final SandboxHandler HANDLER = SANDBOX.handler();
    private static final AlipaySigner APP =
            new AlipaySigner(SANDBOX.appPrivateKey().orElseThrow(), SignType.RSA2, RsaProvider.jdk());

    @AfterAll
    static void close() {
        SANDBOX.close();
    }

    /** Input: HTTP method, Content-Type, raw query and body, NUL-separated. */
    @FuzzTest
    @DictionaryFile(resourcePath = "/dev/zhifu/sandbox/fuzz/form.dict")
    void anyRequest(byte[] input) {
        byte[][] parts = FuzzInput.split(input, 4);
        String method = new String(parts[0], StandardCharsets.ISO_8859_1).equals("GET") ? "GET" : "POST";
        String contentType = new String(parts[1], StandardCharsets.ISO_8859_1);
        String query = withoutNotifyUrl(new String(parts[2], StandardCharsets.ISO_8859_1));
        byte[] body = withoutNotifyUrl(new String(parts[3], StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        answered(send(method, contentType, query, body));
    }

    /** Input: the body posted to the app pay endpoint (the order string the Alipay app hands over), as is. */
    @FuzzTest
    @DictionaryFile(resourcePath = "/dev/zhifu/sandbox/fuzz/form.dict")
    void appPayOrderString(byte[] input) {
        byte[] body =
                withoutNotifyUrl(new String(input, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        answered(HANDLER.handle(
                new SandboxRequest("POST", "/sandbox/app/pay", "", Map.of(), body, "http://127.0.0.1:1")));
    }

    /**
     * Input: the call's parameters as {@code name=value} lines (literal; {@code method} and {@code biz_content}
     * among them), completed with what a client always sends and signed with the app key in the call's charset.
     */
    @FuzzTest
    @DictionaryFile(resourcePath = "/dev/zhifu/sandbox/fuzz/form.dict")
    void signedCall(byte[] input) {
        Map<String, String> params = new LinkedHashMap<>(FuzzInput.params(FuzzInput.text(input)));
        params.keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).contains("notify_url"));
        params.putIfAbsent("app_id", SANDBOX.appId());
        params.putIfAbsent("charset", "utf-8");
        params.putIfAbsent("sign_type", "RSA2");
        params.putIfAbsent("timestamp", "2024-06-01 12:00:00");
        params.putIfAbsent("version", "1.0");
        params.remove("sign");
        Charset charset;
        try {
            charset = Charset.forName(params.get("charset"));
            params.put("sign", APP.sign(SignContent.ofRequest(params), charset));
        } catch (RuntimeException unusableCharset) {
            params.put("sign", "bm90IHNpZ25lZA==");
            charset = StandardCharsets.UTF_8;
        }
        String form;
        try {
            form = FormCodec.encode(params, charset);
        } catch (RuntimeException cannotEncode) {
            form = FormCodec.encode(params, StandardCharsets.UTF_8);
        }
        answered(send(
                "POST",
                "application/x-www-form-urlencoded;charset=" + params.get("charset"),
                "",
                form.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static SandboxResponse send(String method, String contentType, String query, byte[] body) {
        Map<String, List<String>> headers =
                contentType.isEmpty() ? Map.of() : Map.of("content-type", List.of(contentType));
        return HANDLER.handle(new SandboxRequest(method, "/gateway.do", query, headers, body, "http://127.0.0.1:1"));
    }

    private static void answered(SandboxResponse response) {
        assertThat(response).isNotNull();
        assertThat(response.status())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isBetween(200, 499);
    }

    /** The query or form with every {@code notify_url} pair removed, however its name is escaped. */
    private static String withoutNotifyUrl(String form) {
        StringBuilder kept = new StringBuilder();
        for (String pair : form.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = FormCodec.decodeComponent(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.ISO_8859_1);
            if (!name.toLowerCase(java.util.Locale.ROOT).contains("notify_url")) {
                kept.append(kept.length() == 0 ? "" : "&").append(pair);
            }
        }
        return kept.toString();
    }
}
