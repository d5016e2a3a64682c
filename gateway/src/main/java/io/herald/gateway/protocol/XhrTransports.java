package io.herald.gateway.protocol;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.herald.gateway.apps.App;
import io.herald.gateway.apps.AppRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * pusher-js's HTTP fallback transports on the gateway's HTTP port, for networks that block
 * WebSockets: {@code POST /pusher/app/{key}/{server}/{session}/xhr_streaming} (a response that
 * stays open), {@code .../xhr} (long polling) and {@code .../xhr_send} (the client's frames), as
 * pusher-js 8 builds them from its default {@code httpPath} {@code /pusher}. A session is a
 * {@link PusherConnection} like a WebSocket's: the same admission, frames, channels, limits,
 * pings and drain; only where its frames go differs (see {@link XhrSession}).
 *
 * <p>Sessions live on the gateway that opened them: every request of a session must reach that
 * gateway (session affinity at the proxy; see docs/operations.md). A receive request for a
 * session this gateway does not know opens a new one, which pusher-js takes as a lost session
 * and reconnects; a send request for one is answered 404. Browsers call from the page's origin,
 * so every answer allows any origin (pusher-js sends no credentials).
 */
@ApplicationScoped
public class XhrTransports {

    static final String PATH = "/pusher/app/:key/:server/:session/";
    private static final String ID_PREFIX = "xhr:";
    private static final long CHECK_MILLIS = 5_000;
    /**
     * How long a session may go without a receive request before its client counts as gone.
     * pusher-js asks again as soon as a poll is answered or a stream ends, so a longer gap means
     * the client left: pusher-js's disconnect() tells an HTTP session nothing, and its presence
     * members would otherwise stay. SockJS servers allow 5 s; this leaves room for a slow network.
     */
    static final long RECEIVE_GAP_MILLIS = 15_000;

    @Inject
    AppRegistry apps;

    @Inject
    Connections connections;

    @Inject
    Admission admission;

    @Inject
    InboundFrames inbound;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size")
    int maxFrameBytes;

    private final Map<String, XhrSession> sessions = new ConcurrentHashMap<>();
    private long timer;

    void mount(@Observes Router router) {
        router.options(PATH + ":transport").handler(XhrTransports::preflight);
        router.post(PATH + "xhr_streaming").handler(context -> receive(context, true));
        router.post(PATH + "xhr").handler(context -> receive(context, false));
        // The header on a route of its own, first (Vert.x wants the body handler first on its route),
        // so that a browser can read even the body handler's 413.
        router.post(PATH + "xhr_send").handler(context -> {
            allowingAnyOrigin(context.response());
            context.next();
        });
        router.post(PATH + "xhr_send").handler(BodyHandler.create(false).setBodyLimit(maxFrameBytes)).handler(this::send);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(CHECK_MILLIS, id -> check(System.currentTimeMillis()));
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private void receive(RoutingContext context, boolean streaming) {
        HttpServerResponse response = allowingAnyOrigin(context.response());
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/javascript; charset=UTF-8");
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store, no-cache, must-revalidate, max-age=0");
        Receiver receiver = new Receiver(response, streaming);
        String id = sessionId(context);
        XhrSession session = sessions.get(id);
        if (session == null) {
            open(context, id, receiver);
            return;
        }
        long now = System.currentTimeMillis();
        // Set on this thread before the hop, so that the session hears of the close after it took the request.
        response.closeHandler(ignored -> session.eventLoop().execute(() -> session.receiverGone(receiver, now())));
        session.eventLoop().execute(() -> {
            connections.get(ID_PREFIX + id).ifPresent(connection -> connection.heard(now));
            session.receive(receiver, now);
        });
    }

    /** A session's first receive request: admitted like a WebSocket, answered with the open frame and the handshake. */
    private void open(RoutingContext context, String id, Receiver receiver) {
        HttpServerRequest request = context.request();
        Optional<App> app = apps.byKey(context.pathParam("key"));
        String address = AddressLimit.hostOf(String.valueOf(request.remoteAddress()));
        Admission.Refusal refusal = admission.refusal(app, request.query(), address);
        if (refusal != null) {
            refuse(receiver, refusal);
            return;
        }
        EventExecutor loop = ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
        XhrSession session = new XhrSession(id, loop, code -> closed(id, code), System.currentTimeMillis());
        if (sessions.putIfAbsent(id, session) != null) {
            receiver.end(XhrFrames.close(CloseCodes.RECONNECT, "Session opened twice at once; reconnect"));
            return;
        }
        PusherConnection connection = admission.connection(session, app.get(), address);
        refusal = admission.register(ID_PREFIX + id, connection);
        if (refusal != null) {
            sessions.remove(id);
            refuse(receiver, refusal);
            return;
        }
        receiver.response.closeHandler(ignored -> loop.execute(() -> session.receiverGone(receiver, now())));
        connection.send(admission.handshake(connection));
        session.receive(receiver, System.currentTimeMillis());
    }

    /** A refusal opens the session only to tell why and close it, all in one answer, as a WebSocket is told. */
    private static void refuse(Receiver receiver, Admission.Refusal refusal) {
        receiver.end(XhrFrames.OPEN + XhrFrames.messages(List.of(Frames.error(refusal.code(), refusal.message())))
                + XhrFrames.close(refusal.code(), refusal.message()));
    }

    private void send(RoutingContext context) {
        HttpServerResponse response = context.response();
        XhrSession session = sessions.get(sessionId(context));
        Optional<PusherConnection> connection = connections.get(ID_PREFIX + sessionId(context));
        if (session == null || connection.isEmpty()) {
            response.setStatusCode(404).end("Session not found: open it with a receive request first");
            return;
        }
        List<String> frames;
        try {
            frames = XhrFrames.sent(context.body().asString());
        } catch (IllegalArgumentException e) {
            response.setStatusCode(400).end(e.getMessage());
            return;
        }
        long now = System.currentTimeMillis();
        session.eventLoop().execute(() -> {
            connection.get().heard(now);
            frames.forEach(frame -> inbound.handle(connection.get(), frame));
        });
        response.setStatusCode(204).end();
    }

    private static void preflight(RoutingContext context) {
        String headers = context.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        allowingAnyOrigin(context.response())
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "OPTIONS, POST")
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers == null ? "Content-Type" : headers)
                .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "31536000")
                .setStatusCode(204).end();
    }

    private static HttpServerResponse allowingAnyOrigin(HttpServerResponse response) {
        return response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    /** Unique per app: the client picks {server}/{session} at random. */
    private static String sessionId(RoutingContext context) {
        return context.pathParam("key") + "/" + context.pathParam("server") + "/" + context.pathParam("session");
    }

    /** Sessions closed whose client has not fetched the close frame yet (see {@link XhrSession#closeUntold}). */
    public long untoldCloses() {
        return sessions.values().stream().filter(XhrSession::closeUntold).count();
    }

    private void closed(String id, int code) {
        admission.closed(ID_PREFIX + id, code);
    }

    /** Heartbeats, and the end of sessions whose client went away: each on the session's own event loop. */
    private void check(long now) {
        sessions.values().forEach(session -> session.eventLoop().execute(() -> {
            switch (session.check(now, RECEIVE_GAP_MILLIS)) {
                case EXPIRED -> connections.get(ID_PREFIX + session.id()).ifPresentOrElse(
                        connection -> connection.close(CloseCodes.PONG_NOT_RECEIVED, "No receive request for "
                                + RECEIVE_GAP_MILLIS / 1000 + " s"),
                        () -> session.close(CloseCodes.PONG_NOT_RECEIVED, "Session gone"));
                case FORGET -> {
                    sessions.remove(session.id(), session);
                    session.release();
                }
                case NOTHING -> {
                }
            }
        }));
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** A receive request's response: streamed in chunks, or ended with the first answer. */
    private record Receiver(HttpServerResponse response, boolean streaming) implements XhrSession.Receiver {

        @Override
        public void write(String lines) {
            if (!response.ended() && !response.closed()) {
                if (!response.headWritten()) {
                    response.setChunked(true);
                }
                response.write(lines);
            }
        }

        @Override
        public boolean gone() {
            return response.closed() && !response.ended();
        }

        @Override
        public void end(String lines) {
            if (!response.ended() && !response.closed()) {
                response.end(lines);
            }
        }
    }
}
