package dev.zhifu.payments.web;

/** A refusal on a server-rendered page: the status and the message key of what the page says. */
public class PageException extends RuntimeException {

    private final int status;
    private final String messageKey;

    public PageException(int status, String messageKey) {
        super(messageKey);
        this.status = status;
        this.messageKey = messageKey;
    }

    public int status() {
        return status;
    }

    public String messageKey() {
        return messageKey;
    }
}
