package dev.bookingplatform.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of the SMTP server that drops a share of connections at once, as a flaky mail
 * relay does: notification-service sees a transient MailSendException and must retry without sending twice.
 */
final class FlakySmtpRelay implements AutoCloseable {

    private final ServerSocket listener;

    private final int targetPort;

    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "flaky-smtp");
        thread.setDaemon(true);
        return thread;
    });

    private final Random dice = new Random(7);

    private final AtomicInteger dropped = new AtomicInteger();

    private volatile double failureRate;

    private volatile boolean dropNext;

    private volatile boolean rejectRecipients;

    private final AtomicInteger rejected = new AtomicInteger();

    FlakySmtpRelay(int listenPort, int targetPort) throws IOException {
        this.listener = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        threads.execute(this::acceptLoop);
    }

    /**
     * Drops this share of connections from now on, the first of them for certain: with a few dozen mails a 5% rate
     * alone drops none about one run in eight, and a chaos test that injected nothing proves nothing.
     */
    void failureRate(double rate) {
        this.failureRate = rate;
        this.dropNext = rate > 0;
    }

    int dropped() {
        return dropped.get();
    }

    /** While on, answers every RCPT as a strict relay does, quoting the address: "550 5.1.1 <a@b>: ... rejected". */
    void rejectRecipients(boolean reject) {
        this.rejectRecipients = reject;
    }

    int rejected() {
        return rejected.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                boolean drop;
                synchronized (dice) {
                    drop = dice.nextDouble() < failureRate || dropNext;
                    dropNext = false;
                }
                if (rejectRecipients) {
                    threads.execute(() -> refuseRecipients(client));
                    continue;
                }
                if (drop) {
                    dropped.incrementAndGet();
                    client.close();
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                threads.execute(() -> pipe(client, server));
                threads.execute(() -> pipe(server, client));
            }
            catch (IOException closed) {
                return;
            }
        }
    }

    /** Just enough SMTP to reach RCPT TO and refuse it. */
    private void refuseRecipients(Socket client) {
        try (client; var in = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(),
                java.nio.charset.StandardCharsets.US_ASCII)); var out = new java.io.PrintWriter(client.getOutputStream(), true,
                java.nio.charset.StandardCharsets.US_ASCII)) {
            out.print("220 strict-relay ESMTP\r\n");
            out.flush();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.toUpperCase(java.util.Locale.ROOT);
                if (command.startsWith("RCPT TO:")) {
                    rejected.incrementAndGet();
                    out.print("550 5.1.1 " + line.substring(8).trim() + ": Recipient address rejected: user unknown\r\n");
                }
                else if (command.startsWith("QUIT")) {
                    out.print("221 bye\r\n");
                    out.flush();
                    return;
                }
                else if (command.startsWith("DATA")) {
                    out.print("554 5.5.1 no valid recipients\r\n");
                }
                else {
                    out.print("250 ok\r\n");
                }
                out.flush();
            }
        }
        catch (IOException ignored) {
            // the client gave up; nothing to clean beyond the socket
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        }
        catch (IOException ignored) {
            // the other side closed; closing both ends below ends the conversation
        }
        finally {
            try {
                from.close();
                to.close();
            }
            catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
