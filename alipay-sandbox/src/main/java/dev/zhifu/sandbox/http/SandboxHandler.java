package dev.zhifu.sandbox.http;

/** The transport-agnostic core: every adapter (JDK server, servlet) hands requests to one of these. */
@FunctionalInterface
public interface SandboxHandler {

    /** Answers one request; may block (the time-out fault does, on purpose). */
    SandboxResponse handle(SandboxRequest request);
}
