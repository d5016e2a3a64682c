package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;

/**
 * A batch of socket work on a real Netty event loop: written in order, reported once, and in
 * slices, so that a publication to thousands of sockets does not hold the loop from everything
 * else it serves (REST requests, client frames) until the last socket is written.
 */
class SocketWritesTest {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aBatchLargerThanASliceLetsTheLoopRunOtherWorkBeforeItIsWrittenInOrder() throws Exception {
        PusherConnection connection = new PusherConnection(new XhrSession("key/1/a", loop, code -> {
        }, 0), null, "1.1", "127.0.0.1", 1 << 20, null);
        int items = 3000;
        List<String> happened = new ArrayList<>();
        CompletableFuture<List<String>> written = new CompletableFuture<>();

        loop.execute(() -> {
            SocketWrites.batched(() -> {
                for (int i = 0; i < items; i++) {
                    String item = "item " + i;
                    SocketWrites.enqueue(connection, (Runnable) () -> happened.add(item));
                }
            }, () -> {
                happened.add("written");
                written.complete(List.copyOf(happened));
            });
            loop.execute(() -> happened.add("other work"));
        });

        List<String> order = written.get(10, TimeUnit.SECONDS);
        int other = order.indexOf("other work");
        assertTrue(other > 0, "the other work ran before the batch was written: " + other);
        List<String> itemsInOrder = new ArrayList<>(order.subList(0, order.size() - 1));
        itemsInOrder.remove("other work");
        assertEquals(items, itemsInOrder.size());
        for (int i = 0; i < items; i++) {
            assertEquals("item " + i, itemsInOrder.get(i));
        }
        assertEquals("written", order.get(order.size() - 1));
    }
}
