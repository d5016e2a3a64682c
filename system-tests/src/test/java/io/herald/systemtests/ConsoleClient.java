package io.herald.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.herald.local.AppCredentials;

/**
 * {@code system-tests/src/test/node/console-client.mjs} in its own Node.js process: pusher-js 8
 * connected to one gateway, subscribed to some channels, for WebConsoleTest to find in the web
 * console. Keeps what the script reports: its socket id, the channels it holds, the events it got.
 */
final class ConsoleClient implements AutoCloseable {

    private final Process process;
    private volatile String socketId;
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Set<String> received = ConcurrentHashMap.newKeySet();

    private ConsoleClient(Process process) {
        this.process = process;
    }

    /** Starts the script against the gateway on {@code port}; presence channels are joined as {@code userId}. */
    static ConsoleClient start(int port, AppCredentials app, String userId, List<String> channels) throws IOException {
        return start(port, app, app.secret(), userId, channels);
    }

    /** As {@link #start(int, AppCredentials, String, List)}, authorizing subscriptions with {@code authSecret}. */
    static ConsoleClient start(int port, AppCredentials app, String authSecret, String userId, List<String> channels)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", "console-client.mjs")
                .directory(NodeScripts.directory().toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("HERALD_HOST", "127.0.0.1");
        environment.put("HERALD_WS_PORTS", port + "," + port);
        environment.put("HERALD_APP_ID", app.id());
        environment.put("HERALD_APP_KEY", app.key());
        environment.put("HERALD_APP_SECRET", app.secret());
        environment.put("HERALD_CLIENT_PORT", String.valueOf(port));
        environment.put("HERALD_CHANNELS", String.join(",", channels));
        environment.put("HERALD_USER_ID", userId);
        environment.put("HERALD_AUTH_SECRET", authSecret);
        ConsoleClient client = new ConsoleClient(builder.start());
        Thread reader = new Thread(client::read, "console-client-output");
        reader.setDaemon(true);
        reader.start();
        return client;
    }

    /** The socket id pusher-js was given, or null before it connected. */
    String socketId() {
        return socketId;
    }

    boolean subscribedTo(Set<String> channels) {
        return subscribed.containsAll(channels);
    }

    boolean refused(String channel) {
        return refused.contains(channel);
    }

    /** Whether an event arrived as {@code <channel> <event> <data as JSON>}. */
    boolean received(String channel, String event, String dataJson) {
        return received.contains(channel + " " + event + " " + dataJson);
    }

    /** Ends the script by closing its input, as it expects; kills it if it does not go. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroyForcibly();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null;) {
                System.out.println("[console-client] " + line);
                String[] words = line.split(" ", 2);
                switch (words[0]) {
                    case "connected" -> socketId = words[1];
                    case "subscribed" -> subscribed.add(words[1]);
                    case "refused" -> refused.add(words[1]);
                    case "received" -> received.add(words[1]);
                    default -> {
                        // anything else (a stack trace, say) is only worth seeing
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
