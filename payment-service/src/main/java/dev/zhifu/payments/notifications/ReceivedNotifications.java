package dev.zhifu.payments.notifications;

import java.util.List;
import org.springframework.stereotype.Component;

/** The audit trail of notifications as the admin console and the demo shop read it. */
@Component
public class ReceivedNotifications {

    private final ReceivedNotificationRepository received;

    public ReceivedNotifications(ReceivedNotificationRepository received) {
        this.received = received;
    }

    /** Every notification received for the order, oldest first. */
    public List<ReceivedNotification> forTrade(String outTradeNo) {
        return received.forTrade(outTradeNo);
    }
}
