package io.herald.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.local.AppCredentials;

/**
 * {@code system-tests/src/test/node/recovering-subscriber.mjs} running in its own Node.js process:
 * pusher-js 8 with clients/pusher-js-recovery, subscribed to some channels through one port. Keeps
 * what the script reports (see the script) for the test to wait on and check: the {@code seq} of
 * every {@code tick} its handlers got, per channel, and how often it connected, recovered and
 * failed to recover.
 */
final class RecoveringSubscriber implements AutoCloseable {

    private final Process process;
    private final Map<String, List<Integer>> ticks = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger recoveries = new AtomicInteger();
    private final List<String> recoveryFailures = Collections.synchronizedList(new ArrayList<>());

    private RecoveringSubscriber(Process process, List<String> channels) {
        this.process = process;
        channels.forEach(channel -> ticks.put(channel, Collections.synchronizedList(new ArrayList<>())));
    }

    /** Starts the script against {@code port} with the cluster's gateway ports and app in its environment. */
    static RecoveringSubscriber start(int port, List<Integer> gatewayPorts, AppCredentials app, List<String> channels)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", "recovering-subscriber.mjs")
                .directory(NodeScripts.directory().toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("HERALD_HOST", "127.0.0.1");
        environment.put("HERALD_WS_PORTS", String.join(",", gatewayPorts.stream().map(String::valueOf).toList()));
        environment.put("HERALD_APP_ID", app.id());
        environment.put("HERALD_APP_KEY", app.key());
        environment.put("HERALD_APP_SECRET", app.secret());
        environment.put("HERALD_CLIENT_PORT", String.valueOf(port));
        environment.put("HERALD_CHANNELS", String.join(",", channels));
        RecoveringSubscriber subscriber = new RecoveringSubscriber(builder.start(), channels);
        Thread reader = new Thread(subscriber::read, "recovering-subscriber-output");
        reader.setDaemon(true);
        reader.start();
        return subscriber;
    }

    /** The seq numbers the app's handlers got on the channel, in order. */
    List<Integer> ticks(String channel) {
        synchronized (ticks.get(channel)) {
            return List.copyOf(ticks.get(channel));
        }
    }

    boolean subscribedToAll() {
        return subscribed.containsAll(ticks.keySet());
    }

    int connections() {
        return connections.get();
    }

    int recoveries() {
        return recoveries.get();
    }

    List<String> recoveryFailures() {
        return List.copyOf(recoveryFailures);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the script by closing its input, as it expects; kills it if it does not go. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null;) {
                handle(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private void handle(String line) {
        String[] words = line.split(" ");
        switch (words[0]) {
            case "tick" -> ticks.get(words[1]).add(Integer.parseInt(words[2]));
            case "connected" -> connections.incrementAndGet();
            case "subscribed" -> subscribed.add(words[1]);
            case "recovered" -> recoveries.incrementAndGet();
            case "recovery_failed" -> recoveryFailures.add(words[1]);
            default -> {
                // anything else (a stack trace, say) is worth seeing
            }
        }
        if (!words[0].equals("tick")) {
            System.out.println("[recovering-subscriber] " + line);
        }
    }
}
