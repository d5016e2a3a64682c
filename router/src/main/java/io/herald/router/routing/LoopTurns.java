package io.herald.router.routing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.redisson.api.stream.StreamMessageId;

/**
 * Routes the batches that come back with the previous batch's writes on the Redis client's event
 * loop, where their answer arrives, rather than on the routing thread. A turn made by the routing
 * thread costs two thread hand-offs besides its round trip (the command to the event loop, the
 * answer back), and at a publication or two per turn those hand-offs, not the routing, were most
 * of a router's CPU (docs/performance.md). On the event loop, the next turn's writes leave from
 * the thread their answer will come back to.
 *
 * <p>Only the steady state runs here: a batch of publications whose table entries are all cached,
 * so that routing it reads nothing from Redis (a blocking read on the event loop would wait for
 * the thread making it), while the router's owner says its state allows it ({@code steady}: no
 * upkeep or check due, nothing replaying). Anything else is handed back to the routing thread,
 * which waits meanwhile, so the router's tables are only ever used by one thread at a time.
 */
final class LoopTurns {

    private final BatchRouter router;
    private final BooleanSupplier steady;
    private final UnaryOperator<Map<String, Map<StreamMessageId, Map<String, String>>>> owned;
    private final Supplier<Set<String>> goneGateways;
    private final Function<FencedWrites, CompletionStage<FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>>>> apply;
    private final Routed routed;

    /** Told of each batch routed here, just before its writes are sent. */
    interface Routed {
        void batch(Map<String, Map<StreamMessageId, Map<String, String>>> batch);
    }

    LoopTurns(BatchRouter router, BooleanSupplier steady, UnaryOperator<Map<String, Map<StreamMessageId, Map<String, String>>>> owned,
            Supplier<Set<String>> goneGateways,
            Function<FencedWrites, CompletionStage<FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>>>> apply,
            Routed routed) {
        this.router = router;
        this.steady = steady;
        this.owned = owned;
        this.goneGateways = goneGateways;
        this.apply = apply;
        this.routed = routed;
    }

    /**
     * Follows the writes in flight, and the turns that chain on to them, until one needs the routing
     * thread; returns what the last writes answered, as {@code executeThen} would have.
     */
    FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>> follow(
            CompletionStage<FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>>> inFlight) {
        CompletableFuture<FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>>> handedBack = new CompletableFuture<>();
        inFlight.whenComplete((applied, failure) -> next(applied, failure, handedBack));
        return FencedWrites.awaited(handedBack);
    }

    private void next(FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>> applied, Throwable failure,
            CompletableFuture<FencedWrites.Applied<Map<String, Map<StreamMessageId, Map<String, String>>>>> handedBack) {
        if (failure != null) {
            handedBack.completeExceptionally(failure);
            return;
        }
        try {
            Map<String, Map<StreamMessageId, Map<String, String>>> batch = applied.then() == null ? Map.of() : owned.apply(applied.then());
            if (!applied.fenced().isEmpty() || batch.isEmpty() || !steady.getAsBoolean()) {
                handedBack.complete(applied);
                return;
            }
            BatchRouter.Decoded decoded = router.decode(batch);
            if (!router.routesFromCache(decoded)) {
                handedBack.complete(applied);
                return;
            }
            FencedWrites writes = router.route(decoded, goneGateways.get()).writes();
            // Told before the writes leave: their answer may continue the chain on another thread at once.
            routed.batch(batch);
            apply.apply(writes).whenComplete((nextApplied, nextFailure) -> next(nextApplied, nextFailure, handedBack));
        } catch (RuntimeException | Error e) {
            handedBack.completeExceptionally(e);
        }
    }
}
