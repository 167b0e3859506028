package dev.zhifu.payments.operations;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What no log line may carry, whoever writes it (our code, Spring, Tomcat's DEBUG dump of a raw request, the
 * sandbox): key material, signatures, API keys, webhook secrets, buyer identifiers. Every message and exception
 * message passes through {@link #redact} on its way to the console or a file, in plain text and in JSON alike
 * ({@link RedactingEncoder}). Rules, in order:
 * <ol>
 *   <li>the configured secrets themselves ({@code payments.api-keys}, {@code payments.webhook-secret});</li>
 *   <li>PEM blocks, and runs of 100+ base64 characters (raw or URL-encoded): keys and RSA signatures;</li>
 *   <li>the values of sensitive parameters, in forms, queries, headers and JSON: {@code sign},
 *       {@code buyer_id}, {@code buyer_logon_id}, {@code buyer_open_id}, {@code buyer_user_id},
 *       {@code v1} (the webhook signature), {@code password}, {@code secret}…;</li>
 *   <li>{@code Bearer <token>}.</li>
 * </ol>
 */
public final class LogRedaction {

    public static final String MARK = "[REDACTED]";

    private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN [A-Z0-9 ]+-----[\\s\\S]*?(?:-----END [A-Z0-9 ]+-----|$)");
    static final Pattern LONG_BASE64 = Pattern.compile("(?:[A-Za-z0-9+/_-]|%2[BbFf]|%3[Dd]){100,}(?:=|%3[Dd]){0,2}");
    private static final String NAMES = "sign|buyer_id|buyer_logon_id|buyer_open_id|buyer_user_id|buyer_email|buyerId"
            + "|buyerLogonId|v1|password|passwd|secret|webhook_secret|api_key|apikey|app_private_key|private_key"
            + "|auth_code|app_auth_token|access_token|encrypt_key";
    /**
     * name=value (forms, queries, toString) and name: value (headers, text); not "name = ?" (SQL). The value ends
     * at & , ; whitespace, a quote or a closing bracket.
     */
    private static final Pattern PARAM = Pattern.compile("(?i)(?<![A-Za-z0-9_])(" + NAMES
            + ")(=|%3D|:[ \\t]*)(?!\\[REDACTED)(?![\"'])([^&,;\\s\"'\\]\\)}]+)");
    /** "name":"value" and "name" : "value" in JSON, also \"escaped\" inside a JSON string. */
    private static final Pattern JSON = Pattern.compile("(?i)(\\\\?\"(?:" + NAMES + ")\\\\?\"\\s*:\\s*\\\\?\")((?:[^\"\\\\]|\\\\(?!\"))*)");
    private static final Pattern BEARER = Pattern.compile("(?i)(Bearer\\s+)(?![<\\[])[^\\s\"',;]+");

    private LogRedaction() {
    }

    /** Adds a secret that must never appear as it is (ignored when shorter than 8 characters: too common). */
    public static void secret(String value) {
        if (value != null && value.strip().length() >= 8) {
            SECRETS.add(value.strip());
        }
    }

    public static void secrets(List<String> values) {
        values.forEach(LogRedaction::secret);
    }

    /** Substrings of every name in {@link #NAMES} (lower case): without one of them PARAM and JSON cannot match. */
    private static final List<String> NAME_STEMS = List.of("sign", "buyer", "v1", "passw", "secret", "key", "auth_code",
            "token");

    private static boolean mayNameParameter(String lower) {
        for (String stem : NAME_STEMS) {
            if (lower.contains(stem)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@link #LONG_BASE64} can match: a run of 100 or more characters it accepts. One pass, where the
     * pattern itself retries from every offset of every shorter run (it was the costliest step of every log
     * line). Counts characters, not the pattern's units, so it errs on the side of trying the pattern.
     */
    static boolean mayHoldLongBase64(String s) {
        int run = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            boolean inRun = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '_' || c == '-' || c == '%';
            if (!inRun) {
                run = 0;
            } else if (++run >= 100) {
                return true;
            }
        }
        return false;
    }

    public static String redact(String message) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        String out = message;
        for (String secret : SECRETS) {
            if (out.contains(secret)) {
                out = out.replace(secret, MARK);
            }
        }
        if (out.contains("-----BEGIN")) {
            out = PEM.matcher(out).replaceAll(Matcher.quoteReplacement("[REDACTED PEM]"));
        }
        if (mayHoldLongBase64(out)) {
            out = LONG_BASE64.matcher(out).replaceAll(MARK);
        }
        // most lines name none of the parameters: a plain scan spares them the case-insensitive patterns
        String lower = out.toLowerCase(Locale.ROOT);
        if (mayNameParameter(lower)) {
            out = PARAM.matcher(out).replaceAll("$1$2" + Matcher.quoteReplacement(MARK));
            if (out.indexOf('"') >= 0) {
                out = JSON.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MARK));
            }
        }
        if (lower.contains("bearer")) {
            out = BEARER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MARK));
        }
        return out;
    }
}
