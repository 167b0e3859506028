package dev.zhifu.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.internal.util.AlipaySignature;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.alipay.internal.Json;
import dev.zhifu.alipay.notify.NotificationSigner;
import dev.zhifu.alipay.notify.NotificationVerifier;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Our signing and verification against the official SDK on random input: Chinese, emoji, empty and
 * whitespace-only values, {@code & = " '} and newlines. Same signatures, mutual verification, tampering refused.
 */
class OfficialSdkCrossCheckTest {

    private static final String APP_PRIVATE = Fixtures.resource("keys/app_private_key_pkcs8.txt").strip();
    private static final String APP_PUBLIC = Fixtures.resource("keys/app_public_key.txt").strip();
    private static final String ALIPAY_PRIVATE = Fixtures.resource("keys/alipay_private_key_pkcs8.txt").strip();
    private static final String ALIPAY_PUBLIC = Fixtures.resource("keys/alipay_public_key.txt").strip();
    private static final AlipaySigner OUR_APP_SIGNER =
            new AlipaySigner(AlipayKeys.privateKey(APP_PRIVATE, "app"), SignType.RSA2, RsaProvider.preferNative());
    private static final NotificationVerifier OUR_VERIFIER =
            new AlipayClient(Fixtures.vectorConfig().build()).notifications();
    private static final NotificationSigner OUR_NOTIFIER = new NotificationSigner(Fixtures.alipayPrivateKey());

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> tricky = Arbitraries.of("", " ", "\t", "&", "=", "a=b&c=d", "\"quoted\"", "'single'",
                "line\nbreak", "中文商品", "😀 emoji", "100%", "+plus+", "\\/slash", "{\"json\":[1,2]}");
        Arbitrary<String> random = Arbitraries.strings().withCharRange(' ', '~')
                .withCharRange('\u4e00', '\u4fff').withChars('&', '=', '"').ofMaxLength(40);
        // emoji come whole from the tricky list: a lone surrogate is not text Alipay could send
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, tricky), net.jqwik.api.Tuple.of(3, random));
    }

    @Provide
    Arbitrary<Map<String, String>> paramMaps() {
        Arbitrary<String> keys = Arbitraries.strings().withCharRange('a', 'z').withChars('_', 'A', 'Z', '0')
                .ofMinLength(1).ofMaxLength(12);
        return Arbitraries.maps(keys, values()).ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 200)
    void identicalStringToSignAndSignature(@ForAll("paramMaps") Map<String, String> params) throws Exception {
        String ours = SignContent.ofRequest(params);
        Assume.that(!ours.isEmpty()); // the SDK refuses to sign nothing; a real request always has content
        assertThat(ours).isEqualTo(AlipaySignature.getSignContent(new HashMap<>(params)));
        assertThat(OUR_APP_SIGNER.sign(ours, StandardCharsets.UTF_8))
                .isEqualTo(AlipaySignature.rsaSign(ours, APP_PRIVATE, "UTF-8", "RSA2"));
    }

    @Property(tries = 100)
    void notificationsSignedByEitherVerifyWithTheOther(@ForAll("paramMaps") Map<String, String> params,
                                                       @ForAll boolean gbk) throws Exception {
        Map<String, String> base = new LinkedHashMap<>(params);
        base.remove("sign");
        base.remove("sign_type");
        base.put("charset", gbk ? "GBK" : "utf-8");
        if (gbk) {
            base.replaceAll((k, v) -> v.replace("😀", "")); // GBK cannot carry emoji; Alipay would not send them
        }
        String cs = gbk ? "GBK" : "UTF-8";

        Map<String, String> ourSigned = OUR_NOTIFIER.sign(base);
        assertThat(AlipaySignature.rsaCheckV1(new HashMap<>(ourSigned), ALIPAY_PUBLIC, cs, "RSA2")).isTrue();

        Map<String, String> sdkSigned = new HashMap<>(base);
        sdkSigned.put("sign_type", "RSA2");
        sdkSigned.put("sign", AlipaySignature.rsaSign(SignContent.ofNotification(base), ALIPAY_PRIVATE, cs, "RSA2"));
        assertThat(OUR_VERIFIER.verify(sdkSigned).params()).isEqualTo(sdkSigned);
        assertThat(OUR_VERIFIER.verifyForm(OUR_NOTIFIER.formBody(base)).params()).isEqualTo(ourSigned);
    }

    @Property(tries = 100)
    void tamperingAnyNonBlankFieldIsRefused(@ForAll("paramMaps") Map<String, String> params,
                                            @ForAll @IntRange(min = 0, max = 24) int which) {
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

    @Property(tries = 60)
    void answersSignedByTheSdkVerifyWithOursAndViceVersa(@ForAll("paramMaps") Map<String, String> fields)
            throws Exception {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("code", "10000");
        node.put("msg", "Success");
        fields.forEach((k, v) -> node.putIfAbsent("f_" + k, v));
        String nodeText = Json.write(node);
        String sdkSign = AlipaySignature.rsaSign(nodeText, ALIPAY_PRIVATE, "UTF-8", "RSA2");
        String body = "{\"alipay_trade_query_response\":" + nodeText + ",\"sign\":\"" + sdkSign + "\"}";
        AlipayClient client = new AlipayClient(Fixtures.vectorConfig()
                .transport(new ScriptedTransport().answer(body).answer(body.replace("\"10000\"", "\"10001\""))).build());

        AlipayResponse ours = client.call("alipay.trade.query", "{\"out_trade_no\":\"x\"}");
        assertThat(ours.fields()).isEqualTo(node);
        assertThatThrownBy(() -> client.call("alipay.trade.query", "{\"out_trade_no\":\"x\"}"))
                .isInstanceOf(AlipaySignatureException.class);

        String ourSign = new AlipaySigner(Fixtures.alipayPrivateKey(), SignType.RSA2, RsaProvider.preferNative())
                .sign(nodeText, StandardCharsets.UTF_8);
        assertThat(AlipaySignature.rsaCheck(nodeText, ourSign, ALIPAY_PUBLIC, "UTF-8", "RSA2")).isTrue();
    }

    @Property(tries = 30)
    void requestsSignedByOursVerifyWithTheSdkUsingTheAppKey(@ForAll("paramMaps") Map<String, String> params)
            throws Exception {
        String content = SignContent.ofRequest(params);
        Assume.that(!content.isEmpty());
        String sign = OUR_APP_SIGNER.sign(content, StandardCharsets.UTF_8);
        assertThat(AlipaySignature.rsaCheck(content, sign, APP_PUBLIC, "UTF-8", "RSA2")).isTrue();
    }
}
