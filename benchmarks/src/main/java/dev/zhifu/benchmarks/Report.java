package dev.zhifu.benchmarks;

import com.alibaba.fastjson.JSON;
import com.alibaba.fastjson.JSONArray;
import com.alibaba.fastjson.JSONObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a JMH JSON result file and {@code openssl speed rsa2048} outputs into the markdown tables of
 * BENCHMARKS.md, with the ratios against the goals of issue 2.
 *
 * <pre>java -cp benchmarks.jar dev.zhifu.benchmarks.Report jmh.json openssl-1.txt openssl-2.txt [openssl-1-after.txt openssl-2-after.txt]</pre>
 */
public final class Report {

    record Score(double value, double error) {
        String show() {
            return Double.isNaN(error) ? fmt(value) : fmt(value) + " ± " + fmt(error);
        }
    }

    record Rate(double sign, double verify) {}

    private final Map<String, Score> scores = new LinkedHashMap<>();
    private final StringBuilder out = new StringBuilder();

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println(
                    "usage: Report jmh.json openssl-1.txt openssl-2.txt [openssl-1-after.txt openssl-2-after.txt]");
            System.exit(2);
        }
        Report report = new Report();
        report.load(Path.of(args[0]));
        Rate one = openssl(Path.of(args[1]));
        Rate two = openssl(Path.of(args[2]));
        Rate oneAfter = args.length > 4 ? openssl(Path.of(args[3])) : null;
        Rate twoAfter = args.length > 4 ? openssl(Path.of(args[4])) : null;
        System.out.print(report.render(one, two, oneAfter, twoAfter));
    }

    private void load(Path json) throws IOException {
        JSONArray runs = JSON.parseArray(Files.readString(json, StandardCharsets.UTF_8));
        for (Object o : runs) {
            JSONObject run = (JSONObject) o;
            String name = run.getString("benchmark").replace("dev.zhifu.benchmarks.", "");
            JSONObject metric = run.getJSONObject("primaryMetric");
            Object error = metric.get("scoreError");
            double e = error instanceof Number n ? n.doubleValue() : Double.NaN;
            scores.put(name, new Score(metric.getDoubleValue("score"), e));
        }
    }

    /** The last {@code rsa 2048 bits <s> <s> <sign/s> <verify/s>} line of an {@code openssl speed} output. */
    static Rate openssl(Path file) throws IOException {
        Pattern line =
                Pattern.compile("^rsa\\s+2048 bits\\s+\\S+\\s+\\S+\\s+([0-9.]+)\\s+([0-9.]+)\\s*$", Pattern.MULTILINE);
        Matcher m = line.matcher(Files.readString(file, StandardCharsets.UTF_8));
        Rate rate = null;
        while (m.find()) {
            rate = new Rate(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
        }
        if (rate == null) {
            throw new IllegalArgumentException("no 'rsa 2048 bits' line in " + file);
        }
        return rate;
    }

    private String render(Rate one, Rate two, Rate oneAfter, Rate twoAfter) {
        double sign1 = oneAfter == null ? one.sign() : (one.sign() + oneAfter.sign()) / 2;
        double verify1 = oneAfter == null ? one.verify() : (one.verify() + oneAfter.verify()) / 2;
        double sign2 = twoAfter == null ? two.sign() : (two.sign() + twoAfter.sign()) / 2;
        double verify2 = twoAfter == null ? two.verify() : (two.verify() + twoAfter.verify()) / 2;

        out.append("### Native limit: `openssl speed rsa2048`\n\n");
        out.append("| run | sign/s | verify/s |\n|---|---:|---:|\n");
        row("1 process, before JMH", fmt(one.sign()), fmt(one.verify()));
        row("`-multi 2`, before JMH", fmt(two.sign()), fmt(two.verify()));
        if (oneAfter != null) {
            row("1 process, after JMH", fmt(oneAfter.sign()), fmt(oneAfter.verify()));
            row("`-multi 2`, after JMH", fmt(twoAfter.sign()), fmt(twoAfter.verify()));
            row("**reference** (mean of before/after), 1 process", fmt(sign1), fmt(verify1));
            row("**reference** (mean of before/after), `-multi 2`", fmt(sign2), fmt(verify2));
        }
        out.append('\n');

        section(
                "(a) Sign a precreate request, 1 thread",
                "SignBenchmark",
                new String[][] {
                    {"ours_accp", "this client, ACCP (`nativeRsa(true)`, the default): `appOrderString(precreate)`"},
                    {"ours_jdk", "this client, JDK provider (`nativeRsa(false)`)"},
                    {"sdk_sdkExecute", "official SDK `sdkExecute(AlipayTradePrecreateRequest)`"},
                    {"sdk_rsaSign", "official SDK `getSignContent` + `AlipaySignature.rsaSign(…, \"RSA2\")`"},
                    {"jca_accp", "plain JCA, ACCP, cached key + `Signature` (string-to-sign precomputed)"},
                    {"jca_jdk", "plain JCA, JDK, cached key + `Signature`"},
                },
                "openssl",
                sign1);
        goals(List.of(
                goal(
                        "signing with ACCP ≥ 0.9 × openssl sign/s (1 thread)",
                        "SignBenchmark.ours_accp",
                        null,
                        sign1,
                        0.9),
                goal(
                        "signing without ACCP ≥ 0.95 × plain JCA (JDK)",
                        "SignBenchmark.ours_jdk",
                        "SignBenchmark.jca_jdk",
                        0,
                        0.95),
                goal(
                        "(reference) ours ACCP / plain JCA ACCP",
                        "SignBenchmark.ours_accp",
                        "SignBenchmark.jca_accp",
                        0,
                        0.95),
                goal("(reference) plain JCA ACCP / openssl", "SignBenchmark.jca_accp", null, sign1, 0.9)));

        section(
                "(a′) Sign a precreate request, 2 threads (both cores)",
                "SignBenchmark.TwoThreads",
                new String[][] {
                    {"ours_accp", "this client, ACCP, one client shared by both threads"},
                    {"ours_jdk", "this client, JDK provider, shared"},
                    {"jca_accp", "plain JCA, ACCP, one `Signature` per thread"},
                    {"jca_jdk", "plain JCA, JDK, one `Signature` per thread"},
                },
                "openssl -multi 2",
                sign2);
        goals(List.of(
                goal(
                        "ACCP, 2 threads ≥ 0.9 × openssl `-multi 2` sign/s",
                        "SignBenchmark.TwoThreads.ours_accp",
                        null,
                        sign2,
                        0.9),
                goal(
                        "JDK, 2 threads ≥ 0.95 × plain JCA (JDK), 2 threads",
                        "SignBenchmark.TwoThreads.ours_jdk",
                        "SignBenchmark.TwoThreads.jca_jdk",
                        0,
                        0.95)));

        section(
                "(b) Build a page pay form",
                "PagePayBenchmark",
                new String[][] {
                    {"ours_accp", "this client, ACCP: `browserPayment(PagePayRequest)` (form **and** GET URL)"},
                    {"ours_jdk", "this client, JDK provider"},
                    {"sdk_pageExecute", "official SDK `pageExecute(AlipayTradePagePayRequest)` (form)"},
                },
                null,
                0);
        goals(List.of(
                goal(
                        "page pay form ≥ 3 × SDK (ours with ACCP)",
                        "PagePayBenchmark.ours_accp",
                        "PagePayBenchmark.sdk_pageExecute",
                        0,
                        3),
                goal(
                        "page pay form ≥ 3 × SDK (ours, JDK provider)",
                        "PagePayBenchmark.ours_jdk",
                        "PagePayBenchmark.sdk_pageExecute",
                        0,
                        3)));

        section(
                "(c) Verify a 25-field notification",
                "NotificationBenchmark",
                new String[][] {
                    {"ours_accp", "this client, ACCP: `notifications().verify(map)` → typed notification"},
                    {"ours_jdk", "this client, JDK provider"},
                    {"ours_accp_form", "this client, ACCP: `verifyForm(raw POST body)` (decode + verify)"},
                    {"sdk_rsaCheckV1", "official SDK `rsaCheckV1(new HashMap<>(map), key, \"UTF-8\", \"RSA2\")`"},
                    {"jca_accp", "plain JCA, ACCP, cached key, precomputed string-to-verify"},
                    {"jca_jdk", "plain JCA, JDK, cached key, precomputed string-to-verify"},
                },
                "openssl verify",
                verify1);
        goals(List.of(
                goal(
                        "notification verify ≥ 2 × SDK (ours with ACCP)",
                        "NotificationBenchmark.ours_accp",
                        "NotificationBenchmark.sdk_rsaCheckV1",
                        0,
                        2),
                goal(
                        "notification verify ≥ 2 × SDK (ours, JDK provider)",
                        "NotificationBenchmark.ours_jdk",
                        "NotificationBenchmark.sdk_rsaCheckV1",
                        0,
                        2)));

        section(
                "(d) Verify a gateway response",
                "ResponseBenchmark",
                new String[][] {
                    {"ours_accp", "this client, ACCP: `verifyAppPayResult(result)` (find node, verify, parse)"},
                    {"ours_jdk", "this client, JDK provider"},
                    {"sdk_parseAppSyncResult", "official SDK `parseAppSyncResult(map, AlipayTradeAppPayRequest.class)`"
                    },
                    {"jca_accp", "plain JCA, ACCP, cached key, precomputed node text"},
                    {"jca_jdk", "plain JCA, JDK, cached key, precomputed node text"},
                    {
                        "ours_execute_inmemory_accp",
                        "this client, ACCP: `execute(precreate)`, in-memory transport (sign + verify + parse)"
                    },
                    {"ours_execute_inmemory_jdk", "this client, JDK provider: `execute(precreate)`, in-memory transport"
                    },
                },
                null,
                0);
        goals(List.of(
                goal(
                        "(no goal) response verify vs SDK, ACCP",
                        "ResponseBenchmark.ours_accp",
                        "ResponseBenchmark.sdk_parseAppSyncResult",
                        0,
                        Double.NaN),
                goal(
                        "(no goal) response verify vs SDK, JDK",
                        "ResponseBenchmark.ours_jdk",
                        "ResponseBenchmark.sdk_parseAppSyncResult",
                        0,
                        Double.NaN),
                goal(
                        "(no goal) response verify, ours JDK / plain JCA JDK",
                        "ResponseBenchmark.ours_jdk",
                        "ResponseBenchmark.jca_jdk",
                        0,
                        Double.NaN)));

        section(
                "(e) Full precreate round trip, loopback HTTP server",
                "RoundTripBenchmark",
                new String[][] {
                    {"ours_accp", "this client, ACCP: `execute(precreate)` over the JDK `HttpClient`"},
                    {"ours_jdk", "this client, JDK provider"},
                    {"sdk_execute", "official SDK `execute(AlipayTradePrecreateRequest)`"},
                },
                null,
                0);
        goals(List.of(
                goal(
                        "round trip ≥ 3 × SDK (ours with ACCP)",
                        "RoundTripBenchmark.ours_accp",
                        "RoundTripBenchmark.sdk_execute",
                        0,
                        3),
                goal(
                        "round trip ≥ 3 × SDK (ours, JDK provider)",
                        "RoundTripBenchmark.ours_jdk",
                        "RoundTripBenchmark.sdk_execute",
                        0,
                        3)));

        section(
                "(W) WeChat Pay: sign, verify, notification (official SDK 0.2.17 beside)",
                "WechatPayBenchmark",
                new String[][] {
                    {"signOursAccp", "wechatpay-client `Sha256WithRsa`, ACCP: sign a request message"},
                    {"signOursJdk", "same, JDK provider"},
                    {"signSdk", "official SDK `RSASigner.sign`"},
                    {"verifyOursAccp", "wechatpay-client, ACCP: verify an answer's signature"},
                    {"verifyOursJdk", "same, JDK provider"},
                    {"verifySdk", "official SDK `RSAVerifier.verify`"},
                    {"notificationOursAccp", "wechatpay-client, ACCP: `transactionNotification` (verify, decrypt)"},
                    {"notificationOursJdk", "same, JDK provider"},
                    {"notificationSdk", "official SDK `NotificationParser.parse`"},
                },
                null,
                0);

        section(
                "(W′) WeChat Pay Native prepay round trip, canned loopback gateway",
                "WechatRoundTripBenchmark",
                new String[][] {
                    {"ours_accp", "wechatpay-client, ACCP: `nativePrepay(order)` over the JDK `HttpClient`"},
                    {"ours_jdk", "wechatpay-client, JDK provider"},
                    {"sdk_prepay", "official SDK `NativePayService.prepay` (JDK RSA, OkHttp)"},
                    {"floor_accp", "floor: one sign + one verify of the same messages, plain JCA, ACCP"},
                    {"floor_jdk", "floor: the same, plain JCA, JDK"},
                    {"diag_inmemory_accp", "(diagnostic) wechatpay-client, ACCP, canned answer in memory: no network"},
                    {"diag_http_only", "(diagnostic) the network alone: `JdkHttpTransport`, same sizes, no crypto"},
                    {"diag_http_only_okhttp", "(diagnostic) the network alone on OkHttp (blocking)"},
                },
                "1 / (1/sign + 1/verify)",
                1 / (1 / sign1 + 1 / verify1));
        goals(List.of(
                goal(
                        "(no goal; Alipay's is ≥ 0.8) round trip ours ACCP / crypto floor ACCP",
                        "WechatRoundTripBenchmark.ours_accp",
                        "WechatRoundTripBenchmark.floor_accp",
                        0,
                        Double.NaN),
                goal(
                        "(no goal) round trip ours JDK / crypto floor JDK",
                        "WechatRoundTripBenchmark.ours_jdk",
                        "WechatRoundTripBenchmark.floor_jdk",
                        0,
                        Double.NaN),
                goal(
                        "(no goal) round trip ours ACCP / SDK",
                        "WechatRoundTripBenchmark.ours_accp",
                        "WechatRoundTripBenchmark.sdk_prepay",
                        0,
                        Double.NaN),
                goal(
                        "(no goal) round trip ours JDK / SDK",
                        "WechatRoundTripBenchmark.ours_jdk",
                        "WechatRoundTripBenchmark.sdk_prepay",
                        0,
                        Double.NaN)));

        out.append("### (diagnostic) Our client's own cost per call, RSA replaced by a no-op provider\n\n");
        out.append("| path | benchmark | µs/op ± error (99.9 %) |\n|---|---|---:|\n");
        String[][] overhead = {
            {"sign_appOrderString", "(a) sign a precreate request"},
            {"pagePay_browserPayment", "(b) page pay form + URL"},
            {"notification_verify", "(c) notification, map"},
            {"notification_verifyForm", "(c) notification, raw form body"},
            {"response_verifyAppPayResult", "(d) response verify"},
            {"execute_inMemory", "(d) execute, in-memory transport"},
        };
        for (String[] r : overhead) {
            Score s = scores.get("OverheadBenchmark." + r[0]);
            row(r[1], "`OverheadBenchmark." + r[0] + "`", s == null ? "not run" : s.show());
        }
        out.append('\n');
        return out.toString();
    }

    private void section(String title, String prefix, String[][] rows, String nativeLabel, double nativeRate) {
        out.append("### ").append(title).append("\n\n");
        out.append("| contender | benchmark | ops/s ± error (99.9 %) |\n|---|---|---:|\n");
        for (String[] r : rows) {
            Score s = scores.get(prefix + "." + r[0]);
            row(r[1], "`" + prefix + "." + r[0] + "`", s == null ? "not run" : s.show());
        }
        if (nativeLabel != null) {
            row("native limit: " + nativeLabel, "(openssl, same machine)", fmt(nativeRate));
        }
        out.append('\n');
    }

    private String[] goal(String what, String benchmark, String baseline, double baselineRate, double target) {
        Score a = scores.get(benchmark);
        Score b = baseline == null ? new Score(baselineRate, 0) : scores.get(baseline);
        if (a == null || b == null) {
            return new String[] {what, "not run", "", fmtTarget(target), "n/a"};
        }
        double ea = Double.isNaN(a.error()) ? 0 : a.error();
        double eb = Double.isNaN(b.error()) ? 0 : b.error();
        double ratio = a.value() / b.value();
        double lo = Math.max(0, a.value() - ea) / (b.value() + eb);
        double hi = b.value() - eb > 0 ? (a.value() + ea) / (b.value() - eb) : Double.POSITIVE_INFINITY;
        String verdict;
        if (Double.isNaN(target)) {
            verdict = "—";
        } else if (ratio >= target) {
            verdict = lo >= target ? "**met**" : "met (within error)";
        } else {
            verdict = hi >= target ? "missed (within error)" : "**missed**";
        }
        String range = String.format(
                Locale.ROOT, "%.2f – %s", lo, Double.isInfinite(hi) ? "∞" : String.format(Locale.ROOT, "%.2f", hi));
        return new String[] {what, String.format(Locale.ROOT, "%.2f", ratio), range, fmtTarget(target), verdict};
    }

    private void goals(List<String[]> rows) {
        out.append("| ratio | measured | range from the error bars | goal | verdict |\n|---|---:|---:|---:|---|\n");
        for (String[] r : rows) {
            row(r);
        }
        out.append('\n');
    }

    private void row(String... cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String fmtTarget(double target) {
        return Double.isNaN(target) ? "—" : "≥ " + String.format(Locale.ROOT, "%.2f", target);
    }

    static String fmt(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v < 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
