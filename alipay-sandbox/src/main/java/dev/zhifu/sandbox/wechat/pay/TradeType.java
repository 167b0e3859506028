package dev.zhifu.sandbox.wechat.pay;

/** The four ways to place an order, by the path they come in on and the {@code trade_type} a query shows. */
public enum TradeType {
    NATIVE("native"),
    JSAPI("jsapi"),
    // H5 orders are "MWEB" in queries and bills, a name kept from API v2
    MWEB("h5"),
    APP("app");

    private final String pathSegment;

    TradeType(String pathSegment) {
        this.pathSegment = pathSegment;
    }

    public static TradeType ofPath(String segment) {
        for (TradeType t : values()) {
            if (t.pathSegment.equals(segment)) {
                return t;
            }
        }
        return null;
    }
}
