package dev.zhifu.sandbox.wechat.bill;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.wechat.ApiAnswer;
import dev.zhifu.sandbox.wechat.WechatPayError;
import dev.zhifu.sandbox.wechat.pay.TradeBook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /v3/bill/tradebill} and {@code /v3/bill/fundflowbill}: answer where to download a day's bill and its SHA-1 (over the uncompressed CSV,
 * which is what the SDK checks after unzipping); the download itself, {@code /v3/billdownload/file?token=}, is a
 * signed request answered with the bare file.
 */
public final class TradeBillApi {

    private record File(byte[] bytes, String contentType) {}

    private final TradeBook book;
    private final String basePath;
    private final Map<String, File> files = new ConcurrentHashMap<>();

    public TradeBillApi(TradeBook book, String basePath) {
        this.book = book;
        this.basePath = basePath;
    }

    public ApiAnswer query(Map<String, String> query, String origin) {
        LocalDate day = billDate(query.get("bill_date"));
        TradeBillCsv.Kind kind = kind(query.get("bill_type"));
        boolean gzip = gzip(query.get("tar_type"));
        TradeBillCsv csv = new TradeBillCsv();
        book.all(t -> {
            csv.add(t, day, kind);
            return t;
        });
        if (csv.isEmpty()) {
            throw noStatement();
        }
        return publish(csv.render(), gzip, origin);
    }

    /**
     * {@code GET /v3/bill/fundflowbill}: the same answer as {@link #query} for the day's fund flow bill of
     * {@code account_type} ({@code BASIC} when absent), checked and refused as a trade bill is.
     */
    public ApiAnswer fundFlow(Map<String, String> query, String origin) {
        LocalDate day = billDate(query.get("bill_date"));
        FundFlowBillCsv.Account account = account(query.get("account_type"));
        boolean gzip = gzip(query.get("tar_type"));
        FundFlowBillCsv csv = new FundFlowBillCsv();
        book.all(t -> {
            csv.add(t);
            return t;
        });
        String text = csv.render(day, account);
        if (text == null) {
            throw noStatement();
        }
        return publish(text, gzip, origin);
    }

    private static WechatPayError noStatement() {
        return new WechatPayError(400, "NO_STATEMENT_EXIST", "账单文件不存在");
    }

    /** Keeps the file for its download link and answers the link with the SHA-1 of the uncompressed text. */
    private ApiAnswer publish(String text, boolean gzip, String origin) {
        byte[] plain = text.getBytes(StandardCharsets.UTF_8);
        String token = UUID.randomUUID().toString().replace("-", "");
        files.put(token, gzip ? new File(gzipped(plain), "application/gzip") : new File(plain, "text/plain"));
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("hash_type", "SHA1");
        answer.put("hash_value", sha1(plain));
        answer.put("download_url", origin + basePath + "/v3/billdownload/file?token=" + token);
        return ApiAnswer.ok(answer.toString());
    }

    /** The file behind a token, or WeChat Pay's 404 when the token is unknown. */
    public SandboxResponse download(Map<String, String> query) {
        File file = query.get("token") == null ? null : files.get(query.get("token"));
        if (file == null) {
            throw new WechatPayError(404, "RESOURCE_NOT_EXISTS", "账单下载链接无效");
        }
        return SandboxResponse.of(200, file.contentType(), file.bytes());
    }

    private static LocalDate billDate(String text) {
        if (text == null) {
            throw WechatPayError.param("bill_date 必填，格式 yyyy-MM-dd");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw WechatPayError.param("bill_date 格式应为 yyyy-MM-dd: " + text);
        }
    }

    private static TradeBillCsv.Kind kind(String text) {
        try {
            return text == null ? TradeBillCsv.Kind.ALL : TradeBillCsv.Kind.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw WechatPayError.param("bill_type 只能是 ALL、SUCCESS 或 REFUND: " + text);
        }
    }

    private static FundFlowBillCsv.Account account(String text) {
        try {
            return text == null ? FundFlowBillCsv.Account.BASIC : FundFlowBillCsv.Account.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw WechatPayError.param("account_type 只能是 BASIC、OPERATION 或 FEES: " + text);
        }
    }

    private static boolean gzip(String text) {
        if (text != null && !text.equals("GZIP")) {
            throw WechatPayError.param("tar_type 只能是 GZIP: " + text);
        }
        return text != null;
    }

    private static byte[] gzipped(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
