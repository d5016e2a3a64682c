package io.herald.benchmark;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * Publishes a fixed number of requests as fast as the gateway answers, with at most
 * {@code maxInFlight} awaiting an answer, and completes when every one was accepted. Where
 * {@link PublishLoop} keeps a rate for a while, this makes a known set of events exist, such as
 * the gap a recovering subscriber must be given. The first request not answered 200 fails it.
 * State is touched only on the publisher's event loop.
 */
final class PublishBurst {

    private final int count;
    private final IntFunction<Future<Integer>> request;
    private final int maxInFlight;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int issued;
    private int answered;
    private int inFlight;

    private PublishBurst(int count, IntFunction<Future<Integer>> request, int maxInFlight) {
        this.count = count;
        this.request = request;
        this.maxInFlight = maxInFlight;
    }

    /**
     * @param request sends request i (a {@link SignedPublisher} call) and completes with its HTTP status
     */
    static CompletableFuture<Void> publish(Context loop, int count, IntFunction<Future<Integer>> request, int maxInFlight) {
        PublishBurst burst = new PublishBurst(count, request, maxInFlight);
        loop.runOnContext(ignored -> burst.pump());
        return burst.done;
    }

    private void pump() {
        if (count == 0) {
            done.complete(null);
        }
        while (!done.isDone() && issued < count && inFlight < maxInFlight) {
            int index = issued++;
            inFlight++;
            request.apply(index).onComplete(result -> {
                inFlight--;
                if (result.failed() || result.result() != 200) {
                    done.completeExceptionally(new IllegalStateException("publication " + index + " was not accepted: "
                            + (result.failed() ? result.cause() : "HTTP " + result.result())));
                } else if (++answered == count) {
                    done.complete(null);
                } else {
                    pump();
                }
            });
        }
    }
}
