package ai.loopgpt.dr.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a random loopback port in front of a real server, that can be made to fail: once
 * {@link #failAfter(long)} bytes have gone upstream it cuts every connection and refuses new ones
 * until {@link #heal()}. Stands for a network or peer going down in the middle of a transfer.
 */
public final class FaultyTcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private volatile long failAfter = Long.MAX_VALUE;
    private volatile long freezeAfter = Long.MAX_VALUE;
    private volatile boolean down;
    private volatile boolean frozen;
    private volatile boolean closed;

    public FaultyTcpProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "faulty-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Goes down once {@code bytes} more bytes have been sent upstream. */
    public void failAfter(long bytes) {
        upstreamBytes.set(0);
        failAfter = bytes;
    }

    /** Freezes (see {@link #freeze()}) once {@code bytes} more bytes have been sent upstream. */
    public void freezeAfter(long bytes) {
        upstreamBytes.set(0);
        freezeAfter = bytes;
    }

    public boolean isFrozen() {
        return frozen;
    }

    public boolean isDown() {
        return down;
    }

    /** Comes back up and forwards normally. */
    public void heal() {
        failAfter = Long.MAX_VALUE;
        freezeAfter = Long.MAX_VALUE;
        down = false;
        frozen = false;
    }

    /**
     * Freezes like a stopped process (SIGSTOP): connections stay open and new ones are accepted, but
     * not a byte goes either way until {@link #heal()}.
     */
    public void freeze() {
        frozen = true;
    }

    private void goDown() {
        down = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (down) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardsUpstream) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while (!down && (n = in.read(buffer)) > 0) {
                    if (towardsUpstream && upstreamBytes.get() + n > freezeAfter) {
                        frozen = true;
                    }
                    while (frozen && !down && !closed) {
                        Thread.sleep(50);
                    }
                    if (towardsUpstream && upstreamBytes.addAndGet(n) > failAfter) {
                        goDown();
                        return;
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException ignored) {
                // Either side went away.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "faulty-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        goDown();
    }
}
