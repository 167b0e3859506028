package dev.zhifu.payments.web;

import java.io.IOException;
import java.util.Iterator;
import org.apache.coyote.Adapter;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.DispatchType;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's HTTP/1.1 NIO connector, except that the end of a chunked body read with non-blocking I/O does not cost
 * the request its answer when the client has already half-closed the connection.
 *
 * <p>Why: {@link RequestBodyFilter} reads every body with a {@code ReadListener}. When the read that reaches the
 * last chunk ({@code 0\r\n\r\n}) is made by the container thread that is processing the connection (inside
 * {@code onDataAvailable()}, where all of the filter's reads are made), Tomcat's {@code ChunkedInputFilter} (11.0.22,
 * {@code parseTrailerFields()}) asks for a dispatch back to the container and has it executed at once, on that same
 * thread, in the middle of that processing. The connection's processor is in use, so Tomcat's connection handler
 * takes the dispatch for the start of a new request on the connection: a fresh processor reads the socket for a
 * request line. While the client keeps its side open, that processor finds nothing to read and nothing happens; a
 * client that has shut its output (HTTP/1.0 style tools, {@code nc -N}, some proxies) has left the end of the stream
 * there, and that processor closes the connection for it. The request goes on and is processed; its answer is written
 * to a closed socket.
 *
 * <p>How: the processors made here do not execute a non-blocking-read dispatch asked for by the thread already
 * processing their connection. That dispatch only exists to get {@code onAllDataRead()} called on a container thread,
 * and that thread is one: Tomcat's {@code CoyoteAdapter} calls {@code onAllDataRead()} itself once the listener (or
 * the servlet) returns with the body finished, as it does for a body with a {@code Content-Length}. Every other
 * dispatch, and every dispatch asked for from another thread, is executed as Tomcat executes it.
 *
 * <p>{@code ChunkedBodyEndProtocolTest} shows Tomcat's own protocol dropping the answer: when that test fails after a
 * Tomcat upgrade, this class is no longer needed.
 */
public class ChunkedBodyEndProtocol extends Http11NioProtocol {

    @Override
    protected Processor createProcessor() {
        return new ChunkedBodyEndProcessor(this, getAdapter());
    }

    private static final class ChunkedBodyEndProcessor extends Http11Processor {

        /** The thread processing this processor's connection, while it does. */
        private volatile Thread processing;

        ChunkedBodyEndProcessor(ChunkedBodyEndProtocol protocol, Adapter adapter) {
            super(protocol, adapter);
        }

        @Override
        public SocketState process(SocketWrapperBase<?> socketWrapper, SocketEvent status) throws IOException {
            Thread outer = processing;
            processing = Thread.currentThread();
            try {
                return super.process(socketWrapper, status);
            } finally {
                processing = outer;
            }
        }

        @Override
        protected void executeDispatches() {
            if (processing == Thread.currentThread()) {
                Iterator<DispatchType> pending = getIteratorAndClearDispatches();
                boolean others = false;
                while (pending != null && pending.hasNext()) {
                    DispatchType dispatch = pending.next();
                    if (dispatch != DispatchType.NON_BLOCKING_READ) {
                        addDispatch(dispatch);
                        others = true;
                    }
                }
                if (!others) {
                    return;
                }
            }
            super.executeDispatches();
        }
    }
}
