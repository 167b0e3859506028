package dev.zhifu.sandbox.wechat;

/** A successful answer before signing: the status and the exact body text (empty for 204). */
public record ApiAnswer(int status, String body) {

    public static ApiAnswer ok(String json) {
        return new ApiAnswer(200, json);
    }

    public static ApiAnswer noContent() {
        return new ApiAnswer(204, "");
    }
}
