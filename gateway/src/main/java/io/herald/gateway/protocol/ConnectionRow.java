package io.herald.gateway.protocol;

import java.util.List;

/**
 * What the web console shows of one open connection. A copy taken when asked, so the console
 * never holds a connection or touches its state.
 *
 * @param user the user it signed in as, else the users it is in presence channels as (comma-separated), else null
 * @param address the client's address, without the port
 * @param sinceMillis when it connected (epoch ms)
 */
public record ConnectionRow(String socketId, String user, String address, List<String> channels, long sinceMillis) {

    public ConnectionRow {
        channels = List.copyOf(channels);
    }
}
