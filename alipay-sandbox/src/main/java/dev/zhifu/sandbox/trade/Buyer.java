package dev.zhifu.sandbox.trade;

/** The simulated buyer account that pays every sandbox trade. */
public record Buyer(String userId, String logonId) {

    public static final Buyer DEFAULT = new Buyer("2088102177846875", "158****1562");
}
