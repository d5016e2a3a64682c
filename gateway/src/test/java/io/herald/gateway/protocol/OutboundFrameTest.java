package io.herald.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/**
 * A frame encoded once is what Netty's own client-side decoder reads as one final text frame,
 * at each length where RFC 6455's header changes form, and an HTTP session's share is the
 * payload's UTF-8 bytes alone.
 */
class OutboundFrameTest {

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 125, 126, 127, 65_535, 65_536, 200_000 })
    void aFrameOfAnyLengthDecodesAsOneFinalTextFrameAndItsPayloadShareIsTheTextAlone(int bytes) {
        // Two-byte characters where they fit, so that a length in characters would be wrong.
        String text = "é".repeat(bytes / 2) + "x".repeat(bytes % 2);
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        try (OutboundFrame frame = OutboundFrame.of(text)) {
            ByteBuf whole = frame.webSocketShare();
            assertEquals(bytes, OutboundFrame.payloadBytes(whole));
            assertEquals(OutboundFrame.headerBytes(bytes) + bytes, whole.readableBytes());
            assertTrue(client.writeInbound(whole));
            TextWebSocketFrame decoded = client.readInbound();
            try {
                assertTrue(decoded.isFinalFragment());
                assertEquals(0, decoded.rsv());
                assertEquals(text, decoded.text());
            } finally {
                decoded.release();
            }

            ByteBuf payload = frame.payloadShare();
            try {
                assertEquals(text, payload.toString(StandardCharsets.UTF_8));
            } finally {
                payload.release();
            }
        } finally {
            client.finishAndReleaseAll();
        }
    }
}
