package io.casswarm.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A TCP proxy for tests that loses messages on purpose, deterministically: between the Cassandra
 * driver and one real node (CQL protocol v4 frames: a request is dropped before the node sees
 * it, or forwarded and its reply dropped, so the write lands and its answer is lost), or between
 * gate and one storage (raw bytes: the next response is swallowed and the connection closed).
 * No maintained tool for this is packaged here (no Toxiproxy in Debian 12 or on Maven Central
 * with its server), and a mocked session would not be the driver's real behaviour.
 */
public final class FaultProxy implements AutoCloseable {

    /** One CQL v4 frame (a request from the driver). */
    public record CqlFrame(int opcode, short stream, byte[] body) {
        public static final int EXECUTE = 0x0A;
        public static final int BATCH = 0x0D;

        /** Whether the body holds these bytes (e.g. a bound document id). */
        public boolean contains(String text) {
            byte[] needle = text.getBytes(StandardCharsets.UTF_8);
            outer:
            for (int i = 0; i + needle.length <= body.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (body[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }

    private final boolean cql;
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicReference<Predicate<CqlFrame>> dropRequest = new AtomicReference<>();
    private final AtomicReference<Predicate<CqlFrame>> dropReply = new AtomicReference<>();
    private final Set<Short> repliesToDrop = ConcurrentHashMap.newKeySet();
    private volatile boolean dropNextResponse;
    private volatile CompletableFuture<Void> dropped = new CompletableFuture<>();
    private volatile boolean closed;

    private FaultProxy(boolean cql, String bindHost, int bindPort, String targetHost, int targetPort)
            throws IOException {
        this.cql = cql;
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = new ServerSocket(bindPort, 50, InetAddress.getByName(bindHost));
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy for the CQL native protocol v4 on 127.0.0.1 (an ephemeral port) to the node. */
    public static FaultProxy cql(String targetHost, int targetPort) throws IOException {
        return new FaultProxy(true, "127.0.0.1", 0, targetHost, targetPort);
    }

    /** A byte-level proxy on bindHost:bindPort to the target (HTTP/1.1 between gate and storage). */
    public static FaultProxy tcp(String bindHost, int bindPort, String targetHost, int targetPort) throws IOException {
        return new FaultProxy(false, bindHost, bindPort, targetHost, targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next request frame matching is not forwarded: the node never sees it. */
    public CompletableFuture<Void> dropRequest(Predicate<CqlFrame> which) {
        dropped = new CompletableFuture<>();
        dropRequest.set(which);
        return dropped;
    }

    /** The next request frame matching is forwarded, and the node's reply to it is dropped. */
    public CompletableFuture<Void> dropReply(Predicate<CqlFrame> which) {
        dropped = new CompletableFuture<>();
        dropReply.set(which);
        return dropped;
    }

    /** Raw mode: the next bytes coming back are swallowed and that connection is closed. */
    public CompletableFuture<Void> dropNextResponse() {
        dropped = new CompletableFuture<>();
        dropNextResponse = true;
        return dropped;
    }

    /** Nothing armed is dropped any more. */
    public void disarm() {
        dropNextResponse = false;
        dropRequest.set(null);
        dropReply.set(null);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5000);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(upstream);
                }
                start(cql ? () -> frames(client, upstream, true) : () -> bytes(client, upstream, false));
                start(cql ? () -> frames(upstream, client, false) : () -> bytes(upstream, client, true));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fault proxy: " + e);
                }
            }
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void bytes(Socket from, Socket to, boolean responses) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (responses && dropNextResponse) {
                    dropNextResponse = false;
                    dropped.complete(null);
                    from.close();
                    to.close();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void frames(Socket from, Socket to, boolean requests) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] header = new byte[9];
            while (read(in, header)) {
                int length = ByteBuffer.wrap(header, 5, 4).getInt();
                byte[] body = new byte[length];
                if (!read(in, body)) {
                    return;
                }
                short stream = ByteBuffer.wrap(header, 2, 2).getShort();
                CqlFrame frame = new CqlFrame(header[4] & 0xff, stream, body);
                if (requests) {
                    Predicate<CqlFrame> drop = dropRequest.get();
                    if (drop != null && drop.test(frame) && dropRequest.compareAndSet(drop, null)) {
                        dropped.complete(null);
                        continue;
                    }
                    Predicate<CqlFrame> lose = dropReply.get();
                    if (lose != null && lose.test(frame) && dropReply.compareAndSet(lose, null)) {
                        repliesToDrop.add(stream);
                    }
                } else if (repliesToDrop.remove(stream)) {
                    dropped.complete(null);
                    continue;
                }
                out.write(header);
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: close the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static boolean read(InputStream in, byte[] into) throws IOException {
        int done = 0;
        while (done < into.length) {
            int n = in.read(into, done, into.length - done);
            if (n < 0) {
                return false;
            }
            done += n;
        }
        return true;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (sockets) {
            sockets.forEach(FaultProxy::closeQuietly);
        }
    }

}
