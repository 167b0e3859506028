package dev.zhifu.payments.alipay;

import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.notify.NotificationVerifier;

/**
 * The service's way to Alipay: the client, the verifier of notifications, and the addresses Alipay and the
 * buyer's browser use to reach us. In demo mode it is completed once the web server knows its port.
 */
public final class AlipayGateway {

    private final boolean demo;
    private final String sellerId;
    private volatile Ready ready;

    private record Ready(AlipayClient client, NotificationVerifier verifier, String publicUrl, String notifyUrl) {
    }

    public AlipayGateway(boolean demo, String sellerId) {
        this.demo = demo;
        this.sellerId = sellerId == null || sellerId.isBlank() ? null : sellerId.strip();
    }

    public void connect(AlipayClient client, String publicUrl, String notifyUrl) {
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.ready = new Ready(client, client.notifications(), base, notifyUrl);
    }

    private Ready ready() {
        Ready r = ready;
        if (r == null) {
            throw new IllegalStateException("Alipay is not connected yet (the demo waits for the web server's port)");
        }
        return r;
    }

    public boolean isDemo() {
        return demo;
    }

    public AlipayClient client() {
        return ready().client();
    }

    public NotificationVerifier verifier() {
        return ready().verifier();
    }

    public String appId() {
        return ready().client().config().appId();
    }

    /** The configured seller id, or null when notifications are not checked for it. */
    public String sellerId() {
        return sellerId;
    }

    public String notifyUrl() {
        return ready().notifyUrl();
    }

    /** Where the buyer's browser lands after page / wap pay. */
    public String returnUrl() {
        return ready().publicUrl() + "/return/alipay";
    }

    public String publicUrl() {
        return ready().publicUrl();
    }
}
