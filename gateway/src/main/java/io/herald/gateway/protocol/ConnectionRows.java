package io.herald.gateway.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.herald.streams.UserChannels;

/**
 * The connections of one app on this gateway, as rows for the web console. Walks every open
 * connection, so it is called once a second at most, and only while a console watches the app.
 */
@ApplicationScoped
public class ConnectionRows {

    @Inject
    Connections connections;

    /** Up to {@code limit} rows, oldest connections first. */
    public List<ConnectionRow> of(String appId, int limit) {
        List<ConnectionRow> rows = new ArrayList<>();
        for (PusherConnection connection : connections.all()) {
            if (connection.app().id().equals(appId)) {
                rows.add(row(connection));
            }
        }
        rows.sort((a, b) -> Long.compare(a.sinceMillis(), b.sinceMillis()));
        return rows.size() > limit ? List.copyOf(rows.subList(0, limit)) : rows;
    }

    /** The app's open connections on this gateway. */
    public int count(String appId) {
        return connections.count(appId);
    }

    private static ConnectionRow row(PusherConnection connection) {
        String user = connection.signedInUser();
        if (user == null && !connection.presenceUsers().isEmpty()) {
            user = String.join(",", new TreeSet<>(connection.presenceUsers().values()));
        }
        // Herald's own user channel is how sign-in works, not something the app subscribed to.
        List<String> channels = connection.channels().stream().filter(channel -> !UserChannels.isUserChannel(channel)).sorted().toList();
        return new ConnectionRow(connection.socketId(), user, connection.remoteAddress(), channels, connection.openedAtMillis());
    }
}
