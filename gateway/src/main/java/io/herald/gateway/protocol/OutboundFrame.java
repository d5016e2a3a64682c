package io.herald.gateway.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * A text frame's payload encoded once, to UTF-8 in one pooled direct buffer, for any number of
 * sockets: each socket is handed a retained duplicate of the same bytes, so a publication to
 * 1,000 subscribers is encoded once rather than 1,000 times, and the socket write needs no copy
 * from the heap. Close it once every socket was handed its share.
 */
public final class OutboundFrame implements AutoCloseable {

    private final ByteBuf payload;

    private OutboundFrame(ByteBuf payload) {
        this.payload = payload;
    }

    public static OutboundFrame of(String text) {
        int size = ByteBufUtil.utf8Bytes(text);
        ByteBuf payload = ByteBufAllocator.DEFAULT.directBuffer(size, size);
        ByteBufUtil.reserveAndWriteUtf8(payload, text, size);
        return new OutboundFrame(payload);
    }

    /** A share of the bytes for one socket, released by the write. */
    ByteBuf share() {
        return payload.retainedDuplicate();
    }

    @Override
    public void close() {
        payload.release();
    }
}
