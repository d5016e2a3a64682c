package io.herald.operator.model;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.herald.operator.Access;
import io.herald.membership.LeaseSettings;
import io.herald.membership.OwnLease;
import io.herald.membership.PeerView;
import io.herald.membership.Role;
import io.herald.membership.Ticker;

/**
 * Least privilege shown against the code, not asserted: the membership classes every gateway and
 * router runs (OwnLease through its life: first renewal, renewal, release; PeerView) and, for
 * gateways, the named Secret informer SecretApps opens, run against the Fabric8 API server in CRUD
 * mode with every request recorded. Each request must be one the tier's Role allows, evaluated as
 * the API server's RBAC authorizer does, and every verb the Role grants must have been used.
 */
class PodAccessCallsTest {

    private static final String NS = "team";
    private static final ClusterNames NAMES = new ClusterNames("push", NS);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
                false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        server.destroy();
    }

    @Test
    void aRouterUsesEveryVerbItsRoleGrantsAndNothingElse() throws InterruptedException {
        runMembership(Role.ROUTER, "push-router-0");
        assertExactly(AccessModel.of(NAMES, Component.ROUTER).role().getRules(), recorded());
    }

    @Test
    void aGatewayUsesEveryVerbItsRoleGrantsAndNothingElse() throws InterruptedException {
        runMembership(Role.GATEWAY, "push-gateway-0");
        // As SecretApps informs on the apps Secret, in the pod's own namespace.
        SharedIndexInformer<Secret> apps = client.secrets().inNamespace(NS).withName(NAMES.appsSecret())
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Secret secret) {
                        // Only the requests matter here.
                    }

                    @Override
                    public void onUpdate(Secret previous, Secret secret) {
                        // Only the requests matter here.
                    }

                    @Override
                    public void onDelete(Secret secret, boolean finalStateUnknown) {
                        // Only the requests matter here.
                    }
                }, 0);
        List<Access> accesses = recordedUntil(access -> access.resource().equals("secrets") && access.verb().equals("watch"));
        apps.close();
        assertExactly(AccessModel.of(NAMES, Component.GATEWAY).role().getRules(), accesses);
    }

    /** One member's life: first renewal, a renewal, peers watched, release. */
    private void runMembership(Role role, String pod) throws InterruptedException {
        String member = pod + "@incarnation";
        OwnLease own = new OwnLease(client, new LeaseSettings(NS, NAMES.cluster(), role, pod, member, Duration.ofSeconds(15),
                Optional.empty()), Ticker.SYSTEM, role == Role.GATEWAY ? () -> 3 : null);
        assertTrue(own.renew());
        assertTrue(own.renew());
        try (PeerView peers = new PeerView(client, NS, NAMES.cluster(), Ticker.SYSTEM)) {
            peers.start();
            await().atMost(TIMEOUT).until(() -> peers.isAlive(member));
            own.release();
            await().atMost(TIMEOUT).until(() -> !peers.isAlive(member));
        }
    }

    /** The requests made so far: runMembership waited for the watch to deliver, so all are in. */
    private List<Access> recorded() throws InterruptedException {
        return recordedUntil(access -> true);
    }

    /** The requests made until one matches (a bounded wait), and any made by then. */
    private List<Access> recordedUntil(Predicate<Access> last) throws InterruptedException {
        List<Access> accesses = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        boolean seen = false;
        while (true) {
            RecordedRequest request = server.takeRequest(seen ? 0 : Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            if (request == null) {
                return accesses;
            }
            Access access = Access.of(request);
            accesses.add(access);
            seen |= last.test(access);
        }
    }

    /** Every access allowed by a rule, and every verb of every rule used. */
    private static void assertExactly(List<PolicyRule> rules, List<Access> accesses) {
        assertTrue(accesses.size() >= 3, "requests were recorded: " + accesses);
        Set<String> granted = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (PolicyRule rule : rules) {
            rule.getVerbs().forEach(verb -> granted.add(rule.getResources().get(0) + " " + verb));
        }
        for (Access access : accesses) {
            assertTrue(rules.stream().anyMatch(rule -> allows(rule, access)), "not allowed: " + access);
            used.add(access.resource() + " " + access.verb());
        }
        assertEquals(granted, used, "the Role grants exactly the verbs the code uses");
    }

    /** RBAC's rule match: a rule with resourceNames allows only requests naming one of them. */
    private static boolean allows(PolicyRule rule, Access access) {
        return rule.getApiGroups().contains(access.apiGroup()) && rule.getResources().contains(access.resource())
                && rule.getVerbs().contains(access.verb())
                && (rule.getResourceNames().isEmpty() || rule.getResourceNames().contains(access.name()));
    }
}
