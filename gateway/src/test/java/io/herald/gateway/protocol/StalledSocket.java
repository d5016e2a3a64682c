package io.herald.gateway.protocol;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare TCP socket with a tiny receive buffer, so that it can stop reading
 * and let the server's output pile up: what a stalled mobile client does to a server.
 */
final class StalledSocket implements AutoCloseable {

    private final Socket socket = new Socket();
    private final DataInputStream in;
    private final OutputStream out;

    StalledSocket(String host, int port, String path) throws IOException {
        socket.setReceiveBufferSize(4096);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress(host, port), 5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            headers.append((char) in.readUnsignedByte());
        }
        if (!headers.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + headers);
        }
    }

    void sendText(String text) throws IOException {
        send(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers the server's close frame, completing the closing handshake. */
    void sendClose(byte[] payload) throws IOException {
        send(0x88, payload);
    }

    private void send(int firstByte, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(firstByte);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        }
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }

    /** A frame as read: its opcode and payload. */
    record Frame(int opcode, byte[] payload) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
