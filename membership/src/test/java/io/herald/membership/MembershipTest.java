package io.herald.membership;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.herald.contract.LeaseNames;

/** Lease membership against the Fabric8 mock API server in CRUD mode, with a hand-driven clock. */
class MembershipTest {

    private static final String NS = "herald";
    private static final Duration DURATION = Duration.ofSeconds(15);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = now::get;
    private PeerView view;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        view = new PeerView(client, NS, "blue", ticker);
        view.start();
    }

    @AfterEach
    void stopApiServer() {
        view.close();
        client.close();
        server.destroy();
    }

    private OwnLease lease(String name, Role role, AtomicInteger connections) {
        return lease(name, name, role, connections);
    }

    private OwnLease lease(String name, String holder, Role role, AtomicInteger connections) {
        return new OwnLease(client, new LeaseSettings(NS, "blue", role, name, holder, DURATION, Optional.of("uid-" + name)),
                ticker, connections == null ? null : connections::get);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    private Lease stored(String name) {
        return client.leases().inNamespace(NS).withName(name).get();
    }

    @Test
    void aMemberJoinsWithALabelledLeaseOwnedByItsPod() {
        AtomicInteger connections = new AtomicInteger(42);
        assertTrue(lease("gateway-a", Role.GATEWAY, connections).renew());

        Lease lease = stored("gateway-a");
        assertEquals("gateway-a", lease.getSpec().getHolderIdentity());
        assertEquals(15, lease.getSpec().getLeaseDurationSeconds());
        assertEquals("blue", lease.getMetadata().getLabels().get(LeaseNames.CLUSTER_LABEL));
        assertEquals("gateway", lease.getMetadata().getLabels().get(LeaseNames.ROLE_LABEL));
        assertEquals("42", lease.getMetadata().getAnnotations().get(LeaseNames.CONNECTIONS_ANNOTATION));
        assertEquals("Pod", lease.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals("uid-gateway-a", lease.getMetadata().getOwnerReferences().get(0).getUid());

        await().atMost(WAIT).until(() -> view.alive(Role.GATEWAY).equals(Set.of("gateway-a")));
        assertEquals(Set.of(), view.alive(Role.ROUTER));
        assertEquals(Optional.of(42), view.connections("gateway-a"));
    }

    @Test
    void renewalsKeepAMemberAliveAndCarryTheLatestConnectionCount() {
        AtomicInteger connections = new AtomicInteger(1);
        OwnLease own = lease("gateway-a", Role.GATEWAY, connections);
        own.renew();
        await().atMost(WAIT).until(() -> view.isAlive("gateway-a"));
        for (int i = 2; i <= 5; i++) {
            advance(Duration.ofSeconds(5));
            connections.set(i);
            assertTrue(own.renew());
            int expected = i;
            await().atMost(WAIT).until(() -> view.connections("gateway-a").equals(Optional.of(expected)));
            assertTrue(view.isAlive("gateway-a"), "alive after " + (i - 1) * 5 + " s of renewals");
        }
    }

    @Test
    void expiryIsJudgedByTheObserversClockNotTheHoldersTimestamps() {
        OwnLease own = lease("router-a", Role.ROUTER, null);
        own.renew();
        await().atMost(WAIT).until(() -> view.isAlive("router-a"));
        // A holder whose clock runs far ahead: its renewTime claims the year 2100. Writing it is a
        // change, so the observer counts from now, and the timestamp itself buys nothing.
        Lease skewed = new LeaseBuilder(stored("router-a")).editSpec().withRenewTime(java.time.ZonedDateTime.parse("2100-01-01T00:00:00Z"))
                .endSpec().build();
        client.leases().inNamespace(NS).resource(skewed).update();
        await().atMost(WAIT).until(() -> stored("router-a").getSpec().getRenewTime().getYear() == 2100);

        advance(DURATION.minusSeconds(1));
        assertTrue(view.isAlive("router-a"));
        advance(Duration.ofSeconds(2));
        assertFalse(view.isAlive("router-a"));
        assertEquals(Set.of("router-a"), view.gone(Role.ROUTER));

        // The first attempt may meet the skewed write's resourceVersion (409); the next one wins.
        assertTrue(own.renew() || own.renew());
        await().atMost(WAIT).until(() -> view.isAlive("router-a"));
    }

    @Test
    void aHolderThatCannotRenewStopsActingBeforePeersMayJudgeItGone() {
        OwnLease own = lease("router-a", Role.ROUTER, null);
        assertFalse(own.isHeld(), "never renewed");
        own.renew();
        await().atMost(WAIT).until(() -> view.isAlive("router-a"));
        assertTrue(own.isHeld());

        advance(Duration.ofSeconds(10));
        assertFalse(own.isHeld(), "the holder gives up after two thirds of the duration");
        assertTrue(view.isAlive("router-a"), "while peers still count it alive for the rest of the duration");
        advance(Duration.ofSeconds(5));
        assertFalse(view.isAlive("router-a"));
    }

    @Test
    void aReleasedLeaseIsGoneAtOnce() {
        OwnLease own = lease("router-a", Role.ROUTER, null);
        own.renew();
        await().atMost(WAIT).until(() -> view.isAlive("router-a"));
        own.release();
        assertNull(stored("router-a").getSpec().getHolderIdentity());
        await().atMost(WAIT).until(() -> !view.isAlive("router-a"));
        assertEquals(Set.of("router-a"), view.gone(Role.ROUTER));
        assertFalse(own.isHeld());
    }

    @Test
    void aDeletedLeaseCountsAsGone() {
        lease("gateway-a", Role.GATEWAY, new AtomicInteger()).renew();
        await().atMost(WAIT).until(() -> view.isAlive("gateway-a"));
        client.leases().inNamespace(NS).withName("gateway-a").delete();
        await().atMost(WAIT).until(() -> view.gone(Role.GATEWAY).contains("gateway-a"));
    }

    @Test
    void aConflictingWriteCostsOneRenewalNotTheLease() {
        OwnLease own = lease("router-a", Role.ROUTER, null);
        own.renew();
        Lease other = new LeaseBuilder(stored("router-a")).editMetadata().addToAnnotations("touched", "yes").endMetadata().build();
        client.leases().inNamespace(NS).resource(other).update();

        assertFalse(own.renew(), "the stale resourceVersion gets a 409");
        assertTrue(own.renew(), "the next attempt reads the Lease again");
        assertEquals("router-a", stored("router-a").getSpec().getHolderIdentity());
    }

    @Test
    void membersOfOtherClustersAreInvisible() {
        new OwnLease(client, new LeaseSettings(NS, "green", Role.ROUTER, "router-g", "router-g", DURATION, Optional.empty()), ticker, null)
                .renew();
        lease("router-b", Role.ROUTER, null).renew();
        await().atMost(WAIT).until(() -> view.isAlive("router-b"));
        assertEquals(Set.of("router-b"), view.alive(Role.ROUTER));
    }

    @Test
    void aProcessRestartedInItsPodIsANewMemberAndItsPredecessorIsGoneAtOnce() {
        lease("gateway-a", "gateway-a@first", Role.GATEWAY, new AtomicInteger()).renew();
        await().atMost(WAIT).until(() -> view.isAlive("gateway-a@first"));

        // The successor renews the same Lease before it could expire: the predecessor's state
        // (interest, presence) must still be cleaned up, so it has to count as gone.
        assertTrue(lease("gateway-a", "gateway-a@second", Role.GATEWAY, new AtomicInteger()).renew());
        await().atMost(WAIT).until(() -> view.isAlive("gateway-a@second"));
        assertFalse(view.isAlive("gateway-a@first"));
        assertEquals(Set.of("gateway-a@first"), view.gone(Role.GATEWAY));
        assertEquals(Set.of("gateway-a@second"), view.alive(Role.GATEWAY));
        assertEquals("gateway-a@second", stored("gateway-a").getSpec().getHolderIdentity());
    }
}
