package io.herald.benchmark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;

/**
 * One client of the fault harness: a raw Pusher socket subscribed to every channel of the run,
 * recording each delivery (the publication's per-channel sequence number and the arrival time)
 * and the windows during which each subscription held. When its connection is lost it
 * reconnects, as a client behind a load balancer does: to the next gateway in turn, starting
 * with another one than it was on, and subscribes again, with Herald's recovery: it names the
 * position of the last event it saw on each channel, as the client helpers do. A recovered
 * subscription continues the window it had before the loss, so everything published meanwhile
 * is owed to it; a failed recovery ({@code herald:recovery_failed}) counts as a loss signal and
 * starts a new window.
 *
 * <p>Callbacks run on the socket's event loop; the harness reads from its own thread, so the
 * records are guarded by this object's monitor.
 */
final class FaultSubscriber {

    static final String LOSS_SIGNAL = "herald:messages_lost";
    static final String RECOVERY_FAILED = "herald:recovery_failed";
    private static final long RECONNECT_DELAY_MILLIS = 200;
    /** How long a delivery may take after the acknowledgement before a lost connection makes it owed no more. */
    static final long DELIVERY_ALLOWANCE_NANOS = 1_000_000_000L;

    /** A delivery of publication {@code seq} at {@code nanos} (System.nanoTime). */
    record Delivery(long seq, long nanos) {
    }

    /** A subscription held from its subscription_succeeded until the connection was lost ({@link Long#MAX_VALUE}: still held). */
    record Window(long from, long until) {

        /**
         * Whether a publication is owed to this subscription: subscribed before it was sent, and
         * still subscribed {@link #DELIVERY_ALLOWANCE_NANOS} after it was acknowledged.
         */
        boolean owes(long sentNanos, long answeredNanos) {
            return from <= sentNanos && answeredNanos + DELIVERY_ALLOWANCE_NANOS <= until;
        }

        /**
         * Whether a publication was sent while subscribed but acknowledged less than the allowance
         * before the connection was lost: it may have been on its way, and Pusher clients get no
         * replay after a reconnect, so it is not owed, only counted.
         */
        boolean cutShort(long sentNanos, long answeredNanos) {
            return from <= sentNanos && answeredNanos <= until && !owes(sentNanos, answeredNanos);
        }
    }

    /** One subscriber's record of one channel: what arrived, when it was subscribed, how many loss signals it got. */
    record Observed(String subscriber, List<Delivery> deliveries, List<Window> windows, int lossSignals) {
    }

    private final String name;
    private final LoadClient client;
    private final int index;
    private final Context loop;
    private final List<String> channels;
    private final IntSupplier gatewayCount;
    private final java.util.function.IntUnaryOperator portOfGateway;
    private final Map<String, List<Delivery>> deliveries = new HashMap<>();
    private final Map<String, List<Window>> windows = new HashMap<>();
    private final Map<String, Integer> lossSignals = new HashMap<>();
    /** Per channel, the position of the last event seen: {@code {"epoch","offset"}}. */
    private final Map<String, JsonObject> positions = new HashMap<>();
    private int gateway;
    private int reconnects;
    private long attempt;
    private boolean running = true;
    private PusherSocket socket;

    FaultSubscriber(String name, LoadClient client, int index, List<String> channels, int gateway, IntSupplier gatewayCount,
            java.util.function.IntUnaryOperator portOfGateway) {
        this.name = name;
        this.client = client;
        this.index = index;
        this.loop = client.socketLoop(index);
        this.channels = List.copyOf(channels);
        this.gateway = gateway;
        this.gatewayCount = gatewayCount;
        this.portOfGateway = portOfGateway;
        for (String channel : channels) {
            deliveries.put(channel, new ArrayList<>());
            windows.put(channel, new ArrayList<>());
        }
    }

    void start() {
        loop.runOnContext(ignored -> connect());
    }

    private void connect() {
        long mine;
        synchronized (this) {
            if (!running) {
                return;
            }
            mine = ++attempt;
        }
        PusherSocket.open(client.client(index), portOfGateway.applyAsInt(gateway), BenchmarkCluster.APP.key(), new Connection(mine))
                .onSuccess(opened -> {
                    synchronized (this) {
                        socket = opened;
                    }
                    for (String channel : channels) {
                        JsonObject recover;
                        synchronized (this) {
                            recover = positions.getOrDefault(channel, new JsonObject()).copy();
                        }
                        opened.subscribe(channel, new JsonObject().put("herald_recover", recover));
                    }
                })
                .onFailure(failed -> retryElsewhere(mine));
    }

    /** A subscription succeeded; a recovered one continues the window its predecessor left. */
    private void subscribed(String channel, JsonObject position) {
        long now = System.nanoTime();
        synchronized (this) {
            List<Window> held = windows.get(channel);
            if (held == null) {
                return;
            }
            boolean recovered = position != null && position.getBoolean("recovered", false);
            if (recovered && !held.isEmpty() && held.get(held.size() - 1).until() != Long.MAX_VALUE) {
                held.add(new Window(held.remove(held.size() - 1).from(), Long.MAX_VALUE));
            } else {
                held.add(new Window(now, Long.MAX_VALUE));
            }
            track(channel, position);
        }
    }

    private void track(String channel, JsonObject position) {
        if (position != null) {
            positions.put(channel, new JsonObject().put("epoch", position.getString("epoch"))
                    .put("offset", position.getLong("offset")));
        }
    }

    /**
     * Reconnects once per failed attempt: a socket closed before it was established reports both
     * a failed open and a lost connection, and two retries per failure would multiply.
     */
    private void retryElsewhere(long failedAttempt) {
        synchronized (this) {
            if (failedAttempt != attempt || !running) {
                return;
            }
            attempt++;
            gateway = (gateway + 1) % gatewayCount.getAsInt();
            reconnects++;
        }
        client.vertx().setTimer(RECONNECT_DELAY_MILLIS, id -> loop.runOnContext(ignored -> connect()));
    }

    /** The listener of one connection attempt, so that a late report from an old attempt changes nothing. */
    private final class Connection implements PusherSocket.EventListener {

        private final long attempt;

        Connection(long attempt) {
            this.attempt = attempt;
        }

        @Override
        public void onEvent(String frame) {
            FaultSubscriber.this.onEvent(frame);
        }

        @Override
        public void onLost(int closeCode, String reason) {
            lost(attempt);
        }

        @Override
        public void onProtocolFrame(JsonObject frame) {
            if ("pusher_internal:subscription_succeeded".equals(frame.getString("event"))) {
                subscribed(frame.getString("channel", ""), frame.getJsonObject("herald"));
            }
        }
    }

    private void onEvent(String frame) {
        long now = System.nanoTime();
        JsonObject event = new JsonObject(frame);
        String channel = event.getString("channel", "");
        synchronized (this) {
            track(channel, event.getJsonObject("herald"));
            if (LOSS_SIGNAL.equals(event.getString("event")) || RECOVERY_FAILED.equals(event.getString("event"))) {
                lossSignals.merge(channel, 1, Integer::sum);
            } else if (deliveries.containsKey(channel)) {
                deliveries.get(channel).add(new Delivery(new JsonObject(event.getString("data")).getLong("seq"), now));
            }
        }
    }

    private void lost(long lostAttempt) {
        long now = System.nanoTime();
        synchronized (this) {
            if (lostAttempt != attempt) {
                return;
            }
            socket = null;
            closeWindows(now);
        }
        retryElsewhere(lostAttempt);
    }

    private void closeWindows(long now) {
        for (List<Window> held : windows.values()) {
            if (!held.isEmpty() && held.get(held.size() - 1).until() == Long.MAX_VALUE) {
                Window open = held.remove(held.size() - 1);
                held.add(new Window(open.from(), now));
            }
        }
    }

    /** Whether every channel has delivered a publication numbered at least {@code seqs[channel index]}. */
    synchronized boolean hasDeliveredFrom(long[] seqs) {
        for (int i = 0; i < channels.size(); i++) {
            List<Delivery> got = deliveries.get(channels.get(i));
            if (got.isEmpty() || got.get(got.size() - 1).seq() < seqs[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether every channel is subscribed right now. */
    synchronized boolean isSubscribedEverywhere() {
        return windows.values().stream().allMatch(held -> !held.isEmpty() && held.get(held.size() - 1).until() == Long.MAX_VALUE);
    }

    /** What this subscriber saw on one channel until now. */
    synchronized Observed observed(String channel) {
        return new Observed(name, List.copyOf(deliveries.get(channel)), List.copyOf(windows.get(channel)),
                lossSignals.getOrDefault(channel, 0));
    }

    synchronized int reconnects() {
        return reconnects;
    }

    /** Stops reconnecting, closes the socket, and closes every window at {@code now}. */
    void stop() {
        long now = System.nanoTime();
        PusherSocket open;
        synchronized (this) {
            running = false;
            open = socket;
            closeWindows(now);
        }
        if (open != null) {
            loop.runOnContext(ignored -> open.close());
        }
    }
}
