package io.herald.systemtests;

import static io.herald.systemtests.PusherClients.channels;
import static io.herald.systemtests.PusherClients.presenceClient;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.pusher.client.Pusher;
import com.pusher.client.channel.PresenceChannel;
import com.pusher.client.channel.PresenceChannelEventListener;
import com.pusher.client.channel.PusherEvent;
import com.pusher.client.channel.User;

import io.herald.local.LocalCluster;
import io.herald.local.NodeProcess;

/**
 * Presence is per user and cluster-wide: one member_added on a user's first connection anywhere,
 * one member_removed on the last, nothing for a second tab; the member list a subscriber gets
 * lists each user once. pusher-java-client on two gateways, signed by pusher-http-java.
 */
class PresenceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster(TestInfo test) {
        cluster = TestClusters.start(test.getTestClass().orElseThrow(), 2, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One connection in the channel, and what it heard. */
    record Tab(Pusher client, PresenceChannel channel, Set<String> initialMembers, List<String> heard) {

        void close() {
            client.disconnect();
        }
    }

    static Tab join(int gateway, String channel, String userId) throws InterruptedException {
        return join(cluster.gateways().get(gateway), channel, userId);
    }

    static Tab join(NodeProcess gateway, String channel, String userId) throws InterruptedException {
        Pusher client = presenceClient(gateway, userId);
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        Set<String> initial = Collections.synchronizedSet(new TreeSet<>());
        CountDownLatch subscribed = new CountDownLatch(1);
        client.connect();
        PresenceChannel subscription = client.subscribePresence(channel, new PresenceChannelEventListener() {
            @Override
            public void onUsersInformationReceived(String channelName, Set<User> users) {
                users.forEach(user -> initial.add(user.getId()));
                subscribed.countDown();
            }

            @Override
            public void userSubscribed(String channelName, User user) {
                heard.add("+" + user.getId() + " " + user.getInfo());
            }

            @Override
            public void userUnsubscribed(String channelName, User user) {
                heard.add("-" + user.getId());
            }

            @Override
            public void onAuthenticationFailure(String message, Exception e) {
                heard.add("auth failure " + message);
            }

            @Override
            public void onSubscriptionSucceeded(String channelName) {
            }

            @Override
            public void onEvent(PusherEvent event) {
                heard.add(event.getEventName() + " from " + event.getUserId() + " " + event.getData());
            }
        }, "client-wave");
        assertTrue(subscribed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), userId + " did not get the member list");
        return new Tab(client, subscription, initial, heard);
    }

    @Test
    void membersAreUsersAcrossGatewaysAndTabs() throws Exception {
        String channel = "presence-" + channels("room", 1).get(0);
        Tab ann = join(0, channel, "ann");
        Tab bob = join(1, channel, "bob");
        Tab bobAgain = join(0, channel, "bob");
        try {
            assertEquals(Set.of("ann"), ann.initialMembers());
            assertEquals(Set.of("ann", "bob"), bob.initialMembers());
            assertEquals(Set.of("ann", "bob"), bobAgain.initialMembers(), "a second tab lists the user once");
            assertEquals(2, bobAgain.channel().getUsers().size());

            await().atMost(TIMEOUT).until(() -> ann.heard().size() == 1);
            assertEquals("+bob {\"name\":\"User bob\"}", ann.heard().get(0));

            bob.close();
            bobAgain.channel().trigger("client-wave", "{\"hi\":1}");
            await().atMost(TIMEOUT).until(() -> ann.heard().size() == 2);
            assertEquals("client-wave from bob {\"hi\":1}", ann.heard().get(1), "bob's other tab keeps him a member");

            bobAgain.close();
            await().atMost(TIMEOUT).until(() -> ann.heard().size() == 3);
            assertEquals("-bob", ann.heard().get(2));
            // A marker after bob left: whatever else his tabs caused would have arrived before it.
            try (com.pusher.rest.Pusher api = PusherClients.publisher(cluster.gateways().get(1))) {
                api.trigger(channel, "client-wave", "{\"marker\":true}");
            }
            await().atMost(TIMEOUT).until(() -> ann.heard().size() >= 4);
            assertEquals(List.of("+bob {\"name\":\"User bob\"}", "client-wave from bob {\"hi\":1}", "-bob",
                    "client-wave from null {\"marker\":true}"), ann.heard(),
                    "one member_added and one member_removed for bob, nothing else");
        } finally {
            ann.close();
            bob.close();
            bobAgain.close();
        }
    }

    @Test
    void theMemberListIsTheSameWhicheverGatewayAsks() throws Exception {
        String channel = "presence-" + channels("lobby", 1).get(0);
        List<Tab> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                tabs.add(join(i % 2, channel, "user-" + (i % 3)));
            }
            Tab late = join(1, channel, "late");
            tabs.add(late);
            assertEquals(Set.of("user-0", "user-1", "user-2", "late"), late.initialMembers());
            Tab first = tabs.get(0);
            await().atMost(TIMEOUT).until(() -> first.heard().size() == 3);
            assertEquals(Set.of("+user-1", "+user-2", "+late"),
                    first.heard().stream().map(h -> h.split(" ")[0]).collect(Collectors.toSet()));
        } finally {
            tabs.forEach(Tab::close);
        }
    }
}
