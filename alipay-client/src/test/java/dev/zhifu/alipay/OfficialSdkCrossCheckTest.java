package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.internal.util.AlipaySignature;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.fixtures.SeededCases;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our signing and verification against the official SDK on random input: Chinese, emoji, empty and
 * whitespace-only values, {@code & = " '} and newlines. Same signatures, mutual verification, tampering refused.
 * The inputs come from {@link SeededCases}: the same ones on every run, each case's seed in its name.
 */
class OfficialSdkCrossCheckTest {

    private static final String APP_PRIVATE =
            Fixtures.resource("keys/app_private_key_pkcs8.txt").strip();
    private static final String APP_PUBLIC =
            Fixtures.resource("keys/app_public_key.txt").strip();
    private static final String ALIPAY_PRIVATE =
            Fixtures.resource("keys/alipay_private_key_pkcs8.txt").strip();
    private static final String ALIPAY_PUBLIC =
            Fixtures.resource("keys/alipay_public_key.txt").strip();
    private static final AlipaySigner OUR_APP_SIGNER =
            new AlipaySigner(AlipayKeys.privateKey(APP_PRIVATE, "app"), SignType.RSA2, RsaProvider.preferNative());
    private static final NotificationVerifier OUR_VERIFIER =
            new AlipayClient(Fixtures.vectorConfig().build()).notifications();
    private static final NotificationSigner OUR_NOTIFIER = new NotificationSigner(Fixtures.alipayPrivateKey());

    private static final List<String> TRICKY = List.of(
            "",
            " ",
            "\t",
            "&",
            "=",
            "a=b&c=d",
            "\"quoted\"",
            "'single'",
            "line\nbreak",
            "中文商品",
            "😀 emoji",
            "100%",
            "+plus+",
            "\\/slash",
            "{\"json\":[1,2]}");

    /** A value: one time in four a tricky one, else up to 40 of printable ASCII, CJK, {@code & = "}. */
    static String value(Random r) {
        if (r.nextInt(4) == 0) {
            // emoji come whole from the tricky list: a lone surrogate is not text Alipay could send
            return SeededCases.oneOf(r, TRICKY);
        }
        return SeededCases.string(r, 40, x -> switch (x.nextInt(8)) {
            case 0 -> SeededCases.oneOf(x, '&', '=', '"');
            case 1, 2, 3 -> SeededCases.between(x, '\u4e00', '\u4fff');
            default -> SeededCases.between(x, ' ', '~');
        });
    }

    /** 1..25 names of {@code [a-z_AZ0]{1,12}} with {@link #value} values (a repeated name keeps its last value). */
    static Map<String, String> paramMap(Random r) {
        Map<String, String> params = new LinkedHashMap<>();
        int size = 1 + r.nextInt(25);
        for (int i = 0; i < size; i++) {
            String key;
            do {
                key = SeededCases.string(
                        r,
                        12,
                        x -> x.nextInt(6) == 0
                                ? SeededCases.oneOf(x, '_', 'A', 'Z', '0')
                                : SeededCases.between(x, 'a', 'z'));
            } while (key.isEmpty());
            params.put(key, value(r));
        }
        return params;
    }

    /**
     * A map with something to sign: the SDK refuses to sign nothing, and a real request always has content, so
     * all-blank maps are drawn again rather than skipped (every case is a real try).
     */
    static Map<String, String> signableParamMap(Random r) {
        Map<String, String> params;
        do {
            params = paramMap(r);
        } while (SignContent.ofRequest(params).isEmpty());
        return params;
    }

    static Stream<Arguments> signableMaps200() {
        return SeededCases.of(200, r -> new Object[] {signableParamMap(r)});
    }

    static Stream<Arguments> signableMaps30() {
        return SeededCases.of(30, r -> new Object[] {signableParamMap(r)});
    }

    static Stream<Arguments> mapsAndCharset() {
        return SeededCases.of(100, r -> new Object[] {paramMap(r), r.nextBoolean()});
    }

    static Stream<Arguments> mapsAndField() {
        return SeededCases.of(100, r -> new Object[] {paramMap(r), r.nextInt(25)});
    }

    static Stream<Arguments> maps60() {
        return SeededCases.of(60, r -> new Object[] {paramMap(r)});
    }

    @ParameterizedTest
    @MethodSource("signableMaps200")
    void identicalStringToSignAndSignature(Map<String, String> params) throws Exception {
        String ours = SignContent.ofRequest(params);
        assertThat(ours).isEqualTo(AlipaySignature.getSignContent(new HashMap<>(params)));
        assertThat(OUR_APP_SIGNER.sign(ours, StandardCharsets.UTF_8))
                .isEqualTo(AlipaySignature.rsaSign(ours, APP_PRIVATE, "UTF-8", "RSA2"));
    }

    @ParameterizedTest
    @MethodSource("mapsAndCharset")
    void notificationsSignedByEitherVerifyWithTheOther(Map<String, String> params, boolean gbk) throws Exception {
        Map<String, String> base = new LinkedHashMap<>(params);
        base.remove("sign");
        base.remove("sign_type");
        base.put("charset", gbk ? "GBK" : "utf-8");
        if (gbk) {
            base.replaceAll((k, v) -> v.replace("😀", "")); // GBK cannot carry emoji; Alipay would not send them
        }
        String cs = gbk ? "GBK" : "UTF-8";

        Map<String, String> ourSigned = OUR_NOTIFIER.sign(base);
        assertThat(AlipaySignature.rsaCheckV1(new HashMap<>(ourSigned), ALIPAY_PUBLIC, cs, "RSA2"))
                .isTrue();

        Map<String, String> sdkSigned = new HashMap<>(base);
        sdkSigned.put("sign_type", "RSA2");
        sdkSigned.put("sign", AlipaySignature.rsaSign(SignContent.ofNotification(base), ALIPAY_PRIVATE, cs, "RSA2"));
        assertThat(OUR_VERIFIER.verify(sdkSigned).params()).isEqualTo(sdkSigned);
        assertThat(OUR_VERIFIER.verifyForm(OUR_NOTIFIER.formBody(base)).params())
                .isEqualTo(ourSigned);
    }

    @ParameterizedTest
    @MethodSource("mapsAndField")
    void tamperingAnyNonBlankFieldIsRefused(Map<String, String> params, int which) {
        Map<String, String> signed = OUR_NOTIFIER.sign(params);
        String[] candidates = signed.keySet().stream()
                .filter(k -> !k.equals("sign") && !k.equals("sign_type") && !SignContent.isBlank(signed.get(k)))
                .toArray(String[]::new);
        if (candidates.length == 0) {
            return;
        }
        String key = candidates[which % candidates.length];
        Map<String, String> tampered = new HashMap<>(signed);
        tampered.put(key, signed.get(key) + "x");
        assertThatThrownBy(() -> OUR_VERIFIER.verify(tampered)).isInstanceOf(AlipaySignatureException.class);
    }

    @ParameterizedTest
    @MethodSource("maps60")
    void answersSignedByTheSdkVerifyWithOursAndViceVersa(Map<String, String> fields) throws Exception {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("code", "10000");
        node.put("msg", "Success");
        fields.forEach((k, v) -> node.putIfAbsent("f_" + k, v));
        String nodeText = Json.write(node);
        String sdkSign = AlipaySignature.rsaSign(nodeText, ALIPAY_PRIVATE, "UTF-8", "RSA2");
        String body = "{\"alipay_trade_query_response\":" + nodeText + ",\"sign\":\"" + sdkSign + "\"}";
        AlipayClient client = new AlipayClient(Fixtures.vectorConfig()
                .transport(new ScriptedTransport().answer(body).answer(body.replace("\"10000\"", "\"10001\"")))
                .build());

        AlipayResponse ours = client.call("alipay.trade.query", "{\"out_trade_no\":\"x\"}");
        assertThat(ours.fields()).isEqualTo(node);
        assertThatThrownBy(() -> client.call("alipay.trade.query", "{\"out_trade_no\":\"x\"}"))
                .isInstanceOf(AlipaySignatureException.class);

        String ourSign = new AlipaySigner(Fixtures.alipayPrivateKey(), SignType.RSA2, RsaProvider.preferNative())
                .sign(nodeText, StandardCharsets.UTF_8);
        assertThat(AlipaySignature.rsaCheck(nodeText, ourSign, ALIPAY_PUBLIC, "UTF-8", "RSA2"))
                .isTrue();
    }

    @ParameterizedTest
    @MethodSource("signableMaps30")
    void requestsSignedByOursVerifyWithTheSdkUsingTheAppKey(Map<String, String> params) throws Exception {
        String content = SignContent.ofRequest(params);
        String sign = OUR_APP_SIGNER.sign(content, StandardCharsets.UTF_8);
        assertThat(AlipaySignature.rsaCheck(content, sign, APP_PUBLIC, "UTF-8", "RSA2"))
                .isTrue();
    }
}
