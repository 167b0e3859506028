package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.payments.BillUrl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Fetches a bill from the {@code download_url} WeChat Pay gave. The file itself is not signed: its SHA-1, taken
 * over the decompressed text as the official SDK does, must equal {@code hash_value}. The request carries the
 * merchant's signature, so it only goes to the configured WeChat Pay host (docs/wechatpay-protocol.md#s11).
 */
final class BillDownload {

    /** A bill larger than this is refused rather than held in memory: a gzip bomb is not a bill. */
    static final int MAX_BILL_BYTES = 256 * 1024 * 1024;

    private final URI baseUrl;
    private final SignedExchange exchange;

    BillDownload(URI baseUrl, SignedExchange exchange) {
        this.baseUrl = baseUrl;
        this.exchange = exchange;
    }

    String download(BillUrl url, boolean gzip) {
        if (!"SHA1".equalsIgnoreCase(url.hashType())) {
            throw new WechatPayMalformedException("unsupported bill hash_type " + url.hashType(), false, null);
        }
        URI uri = sameHost(url.downloadUrl());
        HttpTransport.Answer answer = exchange.sendUnverified(uri, "*/*");
        return checked(answer.body(), gzip, url.hashValue());
    }

    /** The bill's text once its digest matches; decompressed first when {@code gzip}. */
    static String checked(byte[] body, boolean gzip, String hashValue) {
        byte[] bill;
        try {
            bill = gzip ? gunzip(body) : body;
        } catch (IOException e) {
            throw new WechatPayMalformedException("bill is not gzip: " + e.getMessage(), false, e);
        }
        String digest = sha1(bill);
        if (!digest.equalsIgnoreCase(hashValue)) {
            throw new WechatPayMalformedException(
                    "bill SHA-1 " + digest + " is not the hash_value " + hashValue, false, null);
        }
        return new String(bill, StandardCharsets.UTF_8);
    }

    private URI sameHost(String downloadUrl) {
        URI uri;
        try {
            uri = URI.create(downloadUrl);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WechatPayMalformedException("download_url is not a URL: " + downloadUrl, false, e);
        }
        boolean same = baseUrl.getScheme().equalsIgnoreCase(uri.getScheme())
                && baseUrl.getHost().equalsIgnoreCase(uri.getHost())
                && baseUrl.getPort() == uri.getPort();
        String prefix = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        if (!same || uri.getRawPath() == null || !uri.getRawPath().startsWith(prefix + "/v3/")) {
            throw new WechatPayMalformedException(
                    "download_url " + downloadUrl + " is not on " + baseUrl + "; refusing to sign a request to it",
                    false,
                    null);
        }
        return uri;
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > MAX_BILL_BYTES) {
                    throw new IOException("more than " + MAX_BILL_BYTES + " bytes decompressed");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
