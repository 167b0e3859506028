package dev.zhifu.alipay;

import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.CertSn;
import dev.zhifu.alipay.crypto.PemCertificates;
import dev.zhifu.alipay.notify.NotificationVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads a gateway answer and decides whether to believe it (docs/alipay-protocol.md#s6.2): takes out the signed
 * node, verifies its signature with the Alipay public keys or, in certificate mode, with the certificate named by
 * {@code alipay_cert_sn}, downloading and chain-checking a rotated one (docs/alipay-protocol.md#s7.3); decrypts an
 * AES node, and refuses a success that carries no signature. Thread-safe; one per client.
 */
final class AnswerVerifier {

    static final String CERT_DOWNLOAD_METHOD = "alipay.open.app.alipaycert.download";

    private final AlipayConfig config;
    private final ClientKeys keys;
    private final List<AlipayVerifier> publicKeyVerifiers;
    private final Map<String, AlipayVerifier> certVerifiers = new ConcurrentHashMap<>();
    private final Function<GenericRequest, AlipayResponse> gateway;

    /**
     * @param gateway calls the gateway, for the download of a rotated Alipay certificate (the client's
     *                {@code execute}, retries included)
     */
    AnswerVerifier(AlipayConfig config, Function<GenericRequest, AlipayResponse> gateway) {
        this.config = config;
        this.keys = config.keys();
        this.gateway = gateway;
        List<AlipayVerifier> verifiers = new ArrayList<>();
        for (PublicKey key : keys.alipayPublicKeys()) {
            verifiers.add(keys.verifier(key));
        }
        this.publicKeyVerifiers = List.copyOf(verifiers);
        if (keys.certificateMode() != null) {
            keys.certificateMode().alipayKeysBySn().forEach((sn, key) -> certVerifiers.put(sn, keys.verifier(key)));
        }
    }

    /** A verifier for notifications and return_url parameters, with every Alipay key known now. */
    NotificationVerifier notifications() {
        List<AlipayVerifier> verifiers = new ArrayList<>(publicKeyVerifiers);
        verifiers.addAll(certVerifiers.values());
        return new NotificationVerifier(verifiers);
    }

    /**
     * The verified node of an answer to {@code method}.
     *
     * @throws AlipaySignatureException         the signature is missing where required, or does not verify
     * @throws AlipayMalformedResponseException the body is not an answer to {@code method}
     */
    AlipayResponse read(String method, String body) {
        SignedAnswer answer;
        try {
            answer = AnswerReader.read(method, body);
        } catch (SecurityException e) {
            throw new AlipaySignatureException(method, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AlipayMalformedResponseException(method, e.getMessage() + " (body: " + preview(body) + ")", e);
        }
        boolean verified = false;
        if (answer.sign() != null && !CERT_DOWNLOAD_METHOD.equals(method)) {
            verify(method, answer);
            verified = true;
        }
        String nodeText = answer.signedText();
        if (answer.isEncryptedNode()) {
            if (keys.encryption() == null) {
                throw new AlipayMalformedResponseException(
                        method, "the answer is encrypted but no encryptKey is configured");
            }
            if (!verified) {
                throw new AlipaySignatureException(method, "an encrypted answer must be signed");
            }
            try {
                nodeText = keys.encryption().decrypt(nodeText.substring(1, nodeText.length() - 1), config.charset());
            } catch (IllegalArgumentException e) {
                throw new AlipayMalformedResponseException(method, e.getMessage(), e);
            }
        }
        Map<String, Object> fields;
        try {
            fields = Json.parseObject(nodeText);
        } catch (IllegalArgumentException e) {
            throw new AlipayMalformedResponseException(method, "the answer's node is not a JSON object", e);
        }
        AlipayResponse response = new AlipayResponse(method, fields, nodeText, verified);
        if (!verified
                && !CERT_DOWNLOAD_METHOD.equals(method)
                && ("10000".equals(response.code()) || response.code() == null)) {
            // Alipay may leave error answers unsigned, never a success (docs/alipay-protocol.md#s6.2)
            throw new AlipaySignatureException(method, "the answer claims success but carries no signature");
        }
        return response;
    }

    private void verify(String method, SignedAnswer answer) {
        List<AlipayVerifier> candidates;
        if (keys.certificateMode() != null) {
            if (answer.certSn() == null) {
                throw new AlipaySignatureException(method, "certificate mode: the answer carries no alipay_cert_sn");
            }
            candidates = List.of(certVerifier(method, answer.certSn()));
        } else {
            candidates = publicKeyVerifiers;
        }
        String text = answer.signedText();
        byte[] bytes = text.getBytes(config.charset());
        for (AlipayVerifier verifier : candidates) {
            if (verifier.verify(bytes, answer.sign())) {
                return;
            }
        }
        if (text.contains("\\/")) {
            // Alipay has been seen signing the text before escaping '/' (docs/alipay-protocol.md#s6.2 step 7)
            byte[] unescaped = text.replace("\\/", "/").getBytes(config.charset());
            for (AlipayVerifier verifier : candidates) {
                if (verifier.verify(unescaped, answer.sign())) {
                    return;
                }
            }
        }
        throw new AlipaySignatureException(
                method,
                "the answer's signature does not verify with the configured "
                        + (keys.certificateMode() != null
                                ? "Alipay certificate " + answer.certSn()
                                : "Alipay public key"));
    }

    /**
     * The verifier of an Alipay certificate SN, downloading and chain-checking it after a rotation
     * (docs/alipay-protocol.md#s7.3).
     */
    private AlipayVerifier certVerifier(String method, String sn) {
        AlipayVerifier known = certVerifiers.get(sn);
        if (known != null) {
            return known;
        }
        // exactly the SDK's biz_content, two spaces included (docs/alipay-protocol.md#s14.11)
        AlipayResponse download;
        try {
            download = gateway.apply(
                    new GenericRequest(CERT_DOWNLOAD_METHOD, "{\"alipay_cert_sn\":\"" + sn + "\"  }", true));
        } catch (AlipayException e) {
            throw new AlipaySignatureException(
                    method,
                    "unknown alipay_cert_sn " + sn + " and its certificate could not be downloaded: " + e.getMessage(),
                    e);
        }
        String content = download.string("alipay_cert_content");
        if (content == null) {
            throw new AlipaySignatureException(method, "certificate download for " + sn + " returned no content");
        }
        String pem = new String(Base64.getMimeDecoder().decode(content), StandardCharsets.UTF_8);
        List<X509Certificate> certs = PemCertificates.all(pem);
        if (certs.isEmpty() || !CertSn.of(certs.get(0)).equals(sn)) {
            throw new AlipaySignatureException(method, "the downloaded certificate is not the one with SN " + sn);
        }
        try {
            keys.certificateMode()
                    .rootChain()
                    .verify(
                            certs.get(0),
                            certs.subList(1, certs.size()),
                            config.clock().instant());
        } catch (GeneralSecurityException e) {
            throw new AlipaySignatureException(
                    method,
                    "the downloaded certificate " + sn + " does not chain to the configured Alipay root: "
                            + e.getMessage(),
                    e);
        }
        // the app certificate chains to the same root; its key is ours, never Alipay's (a private key without its
        // public half leaves the SN comparison to catch the configured app certificate)
        if (sn.equals(keys.certificateMode().appCertSn())
                || keys.isAppKey(certs.get(0).getPublicKey())) {
            throw new AlipaySignatureException(
                    method,
                    "the downloaded certificate " + sn
                            + " holds this app's own public key: it is an app certificate, not Alipay's");
        }
        AlipayVerifier verifier = keys.verifier(certs.get(0).getPublicKey());
        AlipayVerifier raced = certVerifiers.putIfAbsent(sn, verifier);
        return raced != null ? raced : verifier;
    }

    private static String preview(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }
}
