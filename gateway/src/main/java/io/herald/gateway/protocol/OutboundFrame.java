package io.herald.gateway.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * A text frame encoded once, WebSocket header and UTF-8 payload in one pooled direct buffer, for
 * any number of sockets: each socket is handed a retained duplicate of the same bytes, so a
 * publication to 1,000 subscribers is encoded once rather than 1,000 times, and writing it to a
 * socket allocates and copies nothing. Netty's frame encoder would copy every frame of up to 1 KB
 * into a new buffer behind a header of its own. Close it once every socket was handed its share.
 *
 * <p>A server's frames are never masked, so the header is the same for every socket: one final
 * text frame ({@code 0x81}) and the payload's length in the shortest of the three forms RFC 6455
 * allows. HTTP transports take the payload alone ({@link #payloadShare}).
 */
public final class OutboundFrame implements AutoCloseable {

    private static final int FINAL_TEXT_FRAME = 0x81;

    private final ByteBuf frame;
    private final int headerBytes;

    private OutboundFrame(ByteBuf frame, int headerBytes) {
        this.frame = frame;
        this.headerBytes = headerBytes;
    }

    public static OutboundFrame of(String text) {
        int size = ByteBufUtil.utf8Bytes(text);
        int header = headerBytes(size);
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(header + size, header + size);
        frame.writeByte(FINAL_TEXT_FRAME);
        if (size < 126) {
            frame.writeByte(size);
        } else if (size <= 0xFFFF) {
            frame.writeByte(126).writeShort(size);
        } else {
            frame.writeByte(127).writeLong(size);
        }
        ByteBufUtil.reserveAndWriteUtf8(frame, text, size);
        return new OutboundFrame(frame, header);
    }

    /** The header's length for a payload of this many bytes. */
    static int headerBytes(int payloadBytes) {
        return payloadBytes < 126 ? 2 : payloadBytes <= 0xFFFF ? 4 : 10;
    }

    /** The payload's length in bytes, read from the header of a frame made here. */
    static int payloadBytes(ByteBuf frame) {
        int start = frame.readerIndex();
        int length = frame.getByte(start + 1) & 0x7F;
        return length < 126 ? length : length == 126 ? frame.getUnsignedShort(start + 2) : (int) frame.getLong(start + 2);
    }

    /** The whole frame, header included, for one WebSocket: released by the write. */
    ByteBuf webSocketShare() {
        return frame.retainedDuplicate();
    }

    /** The payload alone, for one HTTP transport session: released by the session. */
    ByteBuf payloadShare() {
        return frame.retainedSlice(headerBytes, frame.readableBytes() - headerBytes);
    }

    @Override
    public void close() {
        frame.release();
    }
}
