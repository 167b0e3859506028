package dev.zhifu.payments.operations;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Wraps whatever encoder an appender has (Spring Boot's pattern or its structured JSON encoders) and hands it
 * events whose message and exception messages went through {@link LogRedaction}.
 */
public final class RedactingEncoder extends EncoderBase<ILoggingEvent> {

    private final Encoder<ILoggingEvent> delegate;

    public RedactingEncoder(Encoder<ILoggingEvent> delegate) {
        this.delegate = delegate;
    }

    public Encoder<ILoggingEvent> delegate() {
        return delegate;
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(new Redacted(event));
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public void start() {
        if (!delegate.isStarted()) {
            delegate.start();
        }
        super.start();
    }

    @Override
    public void stop() {
        delegate.stop();
        super.stop();
    }

    /** An event as it may be written. Arguments are hidden: encoders print the formatted message. */
    private static final class Redacted implements ILoggingEvent {
        private final ILoggingEvent e;
        private String formatted;

        Redacted(ILoggingEvent e) {
            this.e = e;
        }

        @Override
        public String getFormattedMessage() {
            if (formatted == null) {
                formatted = LogRedaction.redact(e.getFormattedMessage());
            }
            return formatted;
        }

        @Override
        public String getMessage() {
            return getFormattedMessage();
        }

        @Override
        public Object[] getArgumentArray() {
            return null;
        }

        @Override
        public IThrowableProxy getThrowableProxy() {
            IThrowableProxy t = e.getThrowableProxy();
            return t == null ? null : new RedactedThrowable(t);
        }

        @Override
        public List<KeyValuePair> getKeyValuePairs() {
            List<KeyValuePair> pairs = e.getKeyValuePairs();
            return pairs == null
                    ? null
                    : pairs.stream()
                            .map(p -> new KeyValuePair(
                                    p.key,
                                    p.value == null
                                            ? null
                                            : LogRedaction.redact(p.key + "=" + p.value)
                                                    .substring(p.key.length() + 1)))
                            .toList();
        }

        @Override
        public String getThreadName() {
            return e.getThreadName();
        }

        @Override
        public ch.qos.logback.classic.Level getLevel() {
            return e.getLevel();
        }

        @Override
        public String getLoggerName() {
            return e.getLoggerName();
        }

        @Override
        public LoggerContextVO getLoggerContextVO() {
            return e.getLoggerContextVO();
        }

        @Override
        public StackTraceElement[] getCallerData() {
            return e.getCallerData();
        }

        @Override
        public boolean hasCallerData() {
            return e.hasCallerData();
        }

        @Override
        @SuppressWarnings("deprecation")
        public Marker getMarker() {
            return e.getMarker();
        }

        @Override
        public List<Marker> getMarkerList() {
            return e.getMarkerList();
        }

        @Override
        public Map<String, String> getMDCPropertyMap() {
            return e.getMDCPropertyMap();
        }

        @Override
        @SuppressWarnings("deprecation")
        public Map<String, String> getMdc() {
            return e.getMdc();
        }

        @Override
        public long getTimeStamp() {
            return e.getTimeStamp();
        }

        @Override
        public int getNanoseconds() {
            return e.getNanoseconds();
        }

        @Override
        public java.time.Instant getInstant() {
            return e.getInstant();
        }

        @Override
        public long getSequenceNumber() {
            return e.getSequenceNumber();
        }

        @Override
        public void prepareForDeferredProcessing() {
            e.prepareForDeferredProcessing();
        }
    }

    private record RedactedThrowable(IThrowableProxy t) implements IThrowableProxy {
        @Override
        public String getMessage() {
            return LogRedaction.redact(t.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return LogRedaction.redact(t.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return t.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return t.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return t.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return t.getCause() == null ? null : new RedactedThrowable(t.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] s = t.getSuppressed();
            if (s == null) {
                return null;
            }
            IThrowableProxy[] out = new IThrowableProxy[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = new RedactedThrowable(s[i]);
            }
            return out;
        }

        @Override
        public boolean isCyclic() {
            return t.isCyclic();
        }
    }
}
