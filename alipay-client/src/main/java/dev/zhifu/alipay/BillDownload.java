package dev.zhifu.alipay;

import dev.zhifu.alipay.bill.TradeBillLine;
import dev.zhifu.alipay.bill.TradeBillParser;
import dev.zhifu.alipay.bill.TradeBillSummary;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.function.Consumer;

/**
 * Fetches a bill download URL, unzips it and streams the detail file's lines (docs/alipay-protocol.md#s12); retried
 * like a repeatable call until the first line has been read, never after.
 */
final class BillDownload {

    private static final String METHOD = "bill.download";

    private final AlipayConfig config;
    private final CallEvents events;

    BillDownload(AlipayConfig config, CallEvents events) {
        this.config = config;
        this.events = events;
    }

    TradeBillSummary download(String billDownloadUrl, Consumer<TradeBillLine> lines) {
        URI uri;
        try {
            uri = URI.create(billDownloadUrl);
        } catch (IllegalArgumentException e) {
            throw new AlipayMalformedResponseException(METHOD, "bill_download_url is not a URL");
        }
        RetryPolicy policy = config.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try (InputStream zip = open(uri)) {
                TradeBillSummary summary = TradeBillParser.parseZip(zip, lines);
                events.report(METHOD, attempt, started, AlipayCallListener.Outcome.SUCCESS, null, 200, false, null);
                return summary;
            } catch (IOException e) {
                // broken mid-stream: lines may already have reached the consumer, so this is not retried
                events.report(
                        METHOD, attempt, started, AlipayCallListener.Outcome.TRANSPORT_ERROR, null, -1, false, null);
                throw new AlipayTransportException(METHOD, "bill download failed: " + e.getMessage(), -1, false, e);
            } catch (AlipayTransportException e) { // before any line was read: safe to try again
                boolean retry = policy.shouldRetry(true, attempt, e);
                events.report(
                        METHOD,
                        attempt,
                        started,
                        AlipayCallListener.Outcome.TRANSPORT_ERROR,
                        null,
                        e.httpStatus(),
                        retry,
                        null);
                if (!retry) {
                    throw e;
                }
                CallEvents.pause(policy.backoff(attempt), e);
            } catch (IllegalArgumentException e) {
                events.report(
                        METHOD,
                        attempt,
                        started,
                        AlipayCallListener.Outcome.MALFORMED_RESPONSE,
                        null,
                        200,
                        false,
                        null);
                throw new AlipayMalformedResponseException(
                        METHOD, "the bill file cannot be read: " + e.getMessage(), e);
            }
        }
    }

    private InputStream open(URI uri) {
        try {
            HttpTransport.StreamedAnswer answer = config.transport().get(uri, config.readTimeout());
            if (answer.status() / 100 != 2) {
                answer.body().close();
                throw new AlipayTransportException(
                        METHOD, "bill download answered HTTP " + answer.status(), answer.status(), false, null);
            }
            return answer.body();
        } catch (IOException e) {
            throw new AlipayTransportException(METHOD, "bill download failed: " + e, -1, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlipayTransportException(METHOD, "interrupted", -1, false, e);
        }
    }
}
