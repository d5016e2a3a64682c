package io.herald.operator.cluster;

import static io.herald.operator.AwaitResources.TIMEOUT;
import static io.herald.operator.AwaitResources.edit;
import static io.herald.operator.AwaitResources.existing;
import static io.herald.operator.AwaitResources.rollOut;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.contract.LeaseNames;
import io.herald.contract.PodSettings;
import io.herald.contract.Rendezvous;
import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.Condition;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;
import io.herald.operator.crd.v1alpha1.spec.IngressSpec;
import io.herald.operator.crd.v1alpha1.spec.NetworkPolicySpec;
import io.herald.operator.crd.v1alpha1.spec.MongoSpec;
import io.herald.operator.crd.v1alpha1.spec.ServiceSpec;
import io.herald.operator.model.AccessModel;
import io.herald.operator.model.ClusterNames;
import io.herald.operator.model.Component;
import io.herald.operator.model.PodTemplates;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The PushCluster reconciler against Fabric8's API server in CRUD mode: what it creates, updates
 * and refuses. The server has no controllers, so Deployments never get ready pods and nothing is
 * garbage-collected; the tests check the owner references that make Kubernetes delete.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class PushClusterMockServerTest {

    @Inject
    KubernetesClient client;

    @Inject
    PushClusterReconciler reconciler;

    @Inject
    Operator operator;

    @Test
    void applyingAClusterCreatesEveryOwnedResource() {
        String ns = "create";
        client.resource(TestClusters.redisSecret(ns)).create();
        PushCluster cluster = TestClusters.cluster(ns, "push");
        cluster.getSpec().ingress = new IngressSpec();
        cluster.getSpec().ingress.host = "push.example.com";
        cluster.getSpec().ingress.tlsSecret = "push-tls";
        PushCluster created = client.resource(cluster).create();

        Deployment gateways = existing(client, ns, Deployment.class, "push-gateway");
        Deployment routers = existing(client, ns, Deployment.class, "push-router");
        Service service = existing(client, ns, Service.class, "push-gateway");
        Ingress ingress = existing(client, ns, Ingress.class, "push");
        List<HasMetadata> access = new ArrayList<>();
        for (String account : List.of("push-gateway", "push-router")) {
            access.add(existing(client, ns, ServiceAccount.class, account));
            access.add(existing(client, ns, Role.class, account));
            access.add(existing(client, ns, RoleBinding.class, account));
        }
        Secret apps = existing(client, ns, Secret.class, "push-apps");
        PodDisruptionBudget gatewayBudget = existing(client, ns, PodDisruptionBudget.class, "push-gateway");
        PodDisruptionBudget routerBudget = existing(client, ns, PodDisruptionBudget.class, "push-router");

        List<HasMetadata> objects = new ArrayList<>(List.of(gateways, routers, service, ingress, apps, gatewayBudget, routerBudget));
        objects.addAll(access);
        for (HasMetadata owned : objects) {
            var owner = owned.getMetadata().getOwnerReferences();
            assertEquals(1, owner.size(), owned.getKind() + " has one owner");
            assertEquals(created.getMetadata().getUid(), owner.get(0).getUid(), owned.getKind() + " is owned by the cluster");
            assertTrue(owner.get(0).getController(), owned.getKind() + " is controlled by the cluster");
        }

        assertEquals(2, gateways.getSpec().getReplicas(), "gateways start at minReplicas");
        assertEquals(2, routers.getSpec().getReplicas());
        Container gateway = gateways.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = env(gateway);
        assertEquals("push", env.get("HERALD_CLUSTER_NAME").getValue());
        assertEquals("push-apps", env.get("HERALD_APPS_SECRET").getValue());
        assertEquals("redis://$(HERALD_REDIS_ADDRESS)", env.get("HERALD_REDIS_URL").getValue());
        assertEquals("redis", env.get("HERALD_REDIS_ADDRESS").getValueFrom().getSecretKeyRef().getName());
        assertEquals("metadata.name", env.get("HERALD_NODE_ID").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("metadata.uid", env.get("HERALD_POD_UID").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("30s", env.get("HERALD_DRAIN_PERIOD").getValue());
        assertEquals("-XX:+UseSerialGC -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20",
                env.get("GC_CONTAINER_OPTIONS").getValue(), "the pods run the JVM settings local mode runs");
        assertEquals(env.get("GC_CONTAINER_OPTIONS"), env(routers.getSpec().getTemplate().getSpec().getContainers().get(0))
                .get("GC_CONTAINER_OPTIONS"));
        assertEquals(50L, gateways.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds(),
                "grace covers the preStop pause, the drain period and a margin");
        assertTrue(gateway.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(gateway.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(gateways.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
        assertEquals("/q/health/ready", gateway.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", gateway.getLivenessProbe().getHttpGet().getPath());
        assertEquals("push-gateway", gateways.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals("push-router", routers.getSpec().getTemplate().getSpec().getServiceAccountName());

        assertEquals("64", env(routers.getSpec().getTemplate().getSpec().getContainers().get(0))
                .get("HERALD_CLUSTER_SHARDS").getValue());
        assertEquals("3600", ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-read-timeout"));
        assertEquals("push-tls", ingress.getSpec().getTls().get(0).getSecretName());
        assertEquals("push-gateway", ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend()
                .getService().getName());
        // ClusterPlanTest pins the rules; here, each tier's Role is the one the API server holds.
        assertEquals(AccessModel.of(ClusterNames.of(created), Component.GATEWAY).role().getRules(),
                existing(client, ns, Role.class, "push-gateway").getRules());
        assertEquals(AccessModel.of(ClusterNames.of(created), Component.ROUTER).role().getRules(),
                existing(client, ns, Role.class, "push-router").getRules());
        assertEquals(1, gatewayBudget.getSpec().getMaxUnavailable().getIntVal());

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
            assertNotNull(current.getStatus(), "no status yet");
            Condition ready = current.getStatus().condition(Condition.READY).orElseThrow();
            assertEquals("False", ready.status, "no pod ever gets ready on this server");
            assertEquals("GatewaysNotReady", ready.reason);
            assertEquals(current.getMetadata().getGeneration(), ready.observedGeneration);
            assertEquals("wss://push.example.com", current.getStatus().endpoint);
            assertEquals(2, current.getStatus().gateways.desired);
        });
    }

    @Test
    void readyPodsAndLiveLeasesMakeTheClusterReady() {
        String ns = "ready";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.cluster(ns, "push")).create();
        rollOut(client, ns, "push-gateway");
        rollOut(client, ns, "push-router");
        client.resource(TestClusters.gatewayLease(ns, "push", "push-gateway-a", 7)).create();
        client.resource(TestClusters.gatewayLease(ns, "push", "push-gateway-b", 5)).create();
        List<Lease> routerLeases = List.of(TestClusters.podLease(ns, "push", "push-router-a", "router", 0),
                TestClusters.podLease(ns, "push", "push-router-b", "router", 0));
        routerLeases.forEach(lease -> client.resource(lease).create());
        client.resource(TestClusters.gatewayLease(ns, "other", "other-gateway-a", 1000)).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
            assertNotNull(current.getStatus(), "no status yet");
            Condition ready = current.getStatus().condition(Condition.READY).orElseThrow();
            assertEquals("True", ready.status);
            assertEquals("ClusterReady", ready.reason);
            assertEquals("2/2 gateways and 2/2 routers ready", ready.message);
            assertEquals("False", current.getStatus().condition(Condition.WARNING).orElseThrow().status);
            assertEquals(12L, current.getStatus().gateways.connections, "only this cluster's gateways count");
            assertEquals(List.of("push-router-a", "push-router-b"), current.getStatus().routers.shardOwners.stream()
                    .map(owner -> owner.router).toList(), "shown by pod, though hashed over holder identities");
            assertEquals(64, current.getStatus().routers.shardOwners.stream().mapToInt(owner -> owner.shards).sum(),
                    "every shard has an owner");
            assertEquals(64, current.getStatus().routers.shards);
            assertEquals(64, current.getStatus().routers.ownedShards, "the SHARDS column");
            assertEquals(2, current.getStatus().gateways.ready);
            assertEquals(2, current.getStatus().routers.ready);
            List<String> holders = routerLeases.stream().map(lease -> lease.getSpec().getHolderIdentity()).toList();
            assertEquals(IntStream.range(0, 64).filter(shard -> holders.get(0).equals(Rendezvous.owner(shard, holders))).count(),
                    current.getStatus().routers.shardOwners.get(0).shards, "as the routers hash: over their processes");
            assertEquals("app.kubernetes.io/component=gateway,app.kubernetes.io/instance=push,app.kubernetes.io/name=herald",
                    current.getStatus().gateways.selector);
        });
    }

    @Test
    void aClusterIsProgressingAndNotReadyUntilEveryPodRunsTheNewSpec() {
        String ns = "rollout";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.cluster(ns, "push")).create();
        rollOut(client, ns, "push-gateway");
        rollOut(client, ns, "push-router");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertCondition(ns, Condition.READY, "True", "ClusterReady");
            assertCondition(ns, Condition.PROGRESSING, "False", "RolloutComplete");
        });
        Deployment rolledOut = existing(client, ns, Deployment.class, "push-gateway");
        long before = rolledOut.getMetadata().getGeneration();

        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().gateway.drainSeconds = 60;
            return current;
        });
        await().atMost(TIMEOUT).until(() -> client.apps().deployments().inNamespace(ns).withName("push-gateway").get()
                .getMetadata().getGeneration() > before);
        // An API server keeps the status when the spec changes; this one drops it, so put back what the pods reported.
        Deployment updated = client.apps().deployments().inNamespace(ns).withName("push-gateway").get();
        updated.setStatus(rolledOut.getStatus());
        client.resource(updated).updateStatus();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition progressing = assertCondition(ns, Condition.PROGRESSING, "True", "RollingOut");
            assertEquals("gateways: waiting for the Deployment controller to see the new spec", progressing.message);
            assertCondition(ns, Condition.READY, "False", "RollingOut");
        });

        // Half-way: the controller has seen the new spec and replaced one of the two pods.
        Deployment gateways = client.apps().deployments().inNamespace(ns).withName("push-gateway").get();
        gateways.setStatus(new DeploymentStatusBuilder().withObservedGeneration(gateways.getMetadata().getGeneration())
                .withReplicas(3).withUpdatedReplicas(1).withReadyReplicas(3).withAvailableReplicas(3).build());
        client.resource(gateways).updateStatus();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals("gateways: 1 of 2 replicas updated",
                    assertCondition(ns, Condition.PROGRESSING, "True", "RollingOut").message);
            assertEquals("3/2 gateways and 2/2 routers ready; gateways: 1 of 2 replicas updated",
                    assertCondition(ns, Condition.READY, "False", "RollingOut").message);
        });

        rollOut(client, ns, "push-gateway");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
            Condition ready = assertCondition(ns, Condition.READY, "True", "ClusterReady");
            assertEquals(current.getMetadata().getGeneration(), ready.observedGeneration, "Ready speaks of the edited spec");
            assertCondition(ns, Condition.PROGRESSING, "False", "RolloutComplete");
        });
    }

    @Test
    void changingTheSpecUpdatesTheResources() {
        String ns = "update";
        client.resource(TestClusters.redisSecret(ns)).create();
        PushCluster cluster = TestClusters.cluster(ns, "push");
        cluster.getSpec().ingress = new IngressSpec();
        cluster.getSpec().ingress.host = "push.example.com";
        client.resource(cluster).create();
        existing(client, ns, Ingress.class, "push");
        existing(client, ns, Deployment.class, "push-router");

        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().router.replicas = 3;
            current.getSpec().gateway.drainSeconds = 60;
            current.getSpec().redis.tls = true;
            current.getSpec().ingress = null;
            return current;
        });

        String digest = digest(existing(client, ns, Deployment.class, "push-gateway"));
        client.resource(TestClusters.secret(ns, TestClusters.REDIS_SECRET, Map.of("address", "redis-2.example:6379"))).update();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Deployment routers = client.apps().deployments().inNamespace(ns).withName("push-router").get();
            assertEquals(3, routers.getSpec().getReplicas());
            assertNotEquals(digest, digest(routers), "a new Redis address rolls the routers");
            assertNotEquals(digest, digest(client.apps().deployments().inNamespace(ns).withName("push-gateway").get()),
                    "and the gateways");
            Deployment gateways = client.apps().deployments().inNamespace(ns).withName("push-gateway").get();
            Map<String, EnvVar> env = env(gateways.getSpec().getTemplate().getSpec().getContainers().get(0));
            assertEquals("60s", env.get("HERALD_DRAIN_PERIOD").getValue());
            assertEquals("rediss://$(HERALD_REDIS_ADDRESS)", env.get("HERALD_REDIS_URL").getValue());
            assertNull(client.network().v1().ingresses().inNamespace(ns).withName("push").get(),
                    "removing the ingress section removes the Ingress");
        });
    }

    @Test
    void networkPoliciesFollowTheSpecsSection() {
        String ns = "policies";
        client.resource(TestClusters.redisSecret(ns)).create();
        PushCluster cluster = TestClusters.cluster(ns, "push");
        cluster.getSpec().networkPolicy = new NetworkPolicySpec();
        cluster.getSpec().networkPolicy.ingressFromNamespaces = List.of("ingress-nginx");
        client.resource(cluster).create();

        NetworkPolicy gateways = existing(client, ns, NetworkPolicy.class, "push-gateway");
        NetworkPolicy routers = existing(client, ns, NetworkPolicy.class, "push-router");
        assertEquals("ingress-nginx", gateways.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector()
                .getMatchLabels().get("kubernetes.io/metadata.name"));
        assertEquals(List.of(), routers.getSpec().getIngress());
        assertEquals("PushCluster", gateways.getMetadata().getOwnerReferences().get(0).getKind());

        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().networkPolicy = null;
            return current;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of(),
                client.network().v1().networkPolicies().inNamespace(ns).list().getItems(),
                "removing the section removes both policies"));
    }

    @Test
    void aLoadBalancerAddressBecomesTheEndpoint() {
        String ns = "load-balancer";
        client.resource(TestClusters.redisSecret(ns)).create();
        PushCluster cluster = TestClusters.cluster(ns, "push");
        cluster.getSpec().gateway.service = new ServiceSpec();
        cluster.getSpec().gateway.service.type = ServiceSpec.Type.LoadBalancer;
        client.resource(cluster).create();
        Service service = existing(client, ns, Service.class, "push-gateway");
        assertEquals("LoadBalancer", service.getSpec().getType());

        // What the cloud controller writes once the load balancer exists.
        service.setStatus(new ServiceStatusBuilder().withNewLoadBalancer().addNewIngress()
                .withHostname("push-1234.elb.example.com").endIngress().endLoadBalancer().build());
        client.resource(service).updateStatus();

        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals("ws://push-1234.elb.example.com",
                client.resources(PushCluster.class).inNamespace(ns).withName("push").get().getStatus().endpoint));
    }

    @Test
    void deletedResourcesComeBackAndADeletedClusterLeavesThemToGarbageCollection() {
        String ns = "delete";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.cluster(ns, "push")).create();
        existing(client, ns, Service.class, "push-gateway");

        client.services().inNamespace(ns).withName("push-gateway").delete();
        existing(client, ns, Service.class, "push-gateway");

        client.resources(PushCluster.class).inNamespace(ns).withName("push").delete();
        await().atMost(TIMEOUT).until(() -> client.resources(PushCluster.class).inNamespace(ns).withName("push").get() == null);
        client.services().inNamespace(ns).withName("push-gateway").delete();
        await().during(Duration.ofSeconds(2)).atMost(TIMEOUT)
                .until(() -> client.services().inNamespace(ns).withName("push-gateway").get() == null);
    }

    @Test
    void aDeletedClustersScaleDownWindowIsForgotten() {
        String ns = "forget";
        client.resource(TestClusters.redisSecret(ns)).create();
        String doomed = client.resource(TestClusters.cluster(ns, "doomed")).create().getMetadata().getUid();
        String kept = client.resource(TestClusters.cluster(ns, "kept")).create().getMetadata().getUid();
        assertNotNull(doomed, "the API server gives every object a UID");
        await().atMost(TIMEOUT).until(() -> reconciler.clustersWithScaleHistory().containsAll(List.of(doomed, kept)));

        client.resources(PushCluster.class).inNamespace(ns).withName("doomed").delete();

        await().atMost(TIMEOUT).until(() -> !reconciler.clustersWithScaleHistory().contains(doomed));
        assertTrue(reconciler.clustersWithScaleHistory().contains(kept), "only the deleted cluster's window goes");
    }

    /** JOSDK retries a failing reconcile a few times, then waits for the maximum interval; its default is 10 hours. */
    @Test
    void afterExhaustedRetriesAClusterIsReconciledAgainWithinHalfAMinute() {
        var configuration = operator.getRegisteredController("pushcluster").orElseThrow().getConfiguration();
        assertEquals(Optional.of(Duration.ofSeconds(30)), configuration.maxReconciliationInterval());
        GenericRetry retry = (GenericRetry) configuration.getRetry();
        assertTrue(retry.getMaxAttempts() > 0, "retries run out, so the maximum interval is what follows");
        assertEquals(operator.getRegisteredController("pushapp").orElseThrow().getConfiguration().maxReconciliationInterval(),
                configuration.maxReconciliationInterval(), "as for PushApps");
    }

    @Test
    void anInvalidSpecGetsAWarningAndChangesNothing() {
        String ns = "invalid";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.cluster(ns, "push")).create();
        existing(client, ns, Deployment.class, "push-gateway");

        edit(client, ns, PushCluster.class, "push", current -> {
            current.getSpec().gateway.minReplicas = 8;
            current.getSpec().gateway.maxReplicas = 4;
            current.getSpec().router.shards = 128;
            return current;
        });

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
            assertNotNull(current.getStatus(), "no status yet");
            Condition warning = current.getStatus().condition(Condition.WARNING).orElseThrow();
            assertEquals("True", warning.status);
            assertEquals("InvalidSpec", warning.reason);
            assertTrue(warning.message.contains("gateway.minReplicas (8) must not exceed gateway.maxReplicas (4)"), warning.message);
            assertTrue(warning.message.contains("router.shards is immutable: the cluster was created with 64 shards"),
                    warning.message);
            assertEquals(current.getMetadata().getGeneration(), warning.observedGeneration);
            Condition ready = current.getStatus().condition(Condition.READY).orElseThrow();
            assertEquals("InvalidSpec", ready.reason);
        });
        assertEquals(2, client.apps().deployments().inNamespace(ns).withName("push-gateway").get().getSpec().getReplicas());
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> client.v1().events().inNamespace(ns).list().getItems()
                .stream().filter(event -> "InvalidSpec".equals(event.getReason())).count() == 1);
        assertEquals("64", env(client.apps().deployments().inNamespace(ns).withName("push-router").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0)).get("HERALD_CLUSTER_SHARDS").getValue());
    }

    @Test
    void aMissingRedisSecretIsAWarningThatNamesIt() {
        String ns = "no-redis";
        client.resource(TestClusters.cluster(ns, "push")).create();

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
            assertNotNull(current.getStatus(), "no status yet");
            Condition warning = current.getStatus().condition(Condition.WARNING).orElseThrow();
            assertEquals("True", warning.status);
            assertTrue(warning.message.contains("redis.addressSecret: Secret redis key address is missing or empty"),
                    warning.message);
        });
        assertNotNull(client.apps().deployments().inNamespace(ns).withName("push-gateway").get(),
                "the cluster is created anyway; pods start once the Secret exists");
    }

    @Test
    void theArchiveUriReachesRoutersAndGatewaysAndTheRoutersReportsBecomeArchiveHealthy() {
        String ns = "archive";
        client.resource(TestClusters.redisSecret(ns)).create();
        client.resource(TestClusters.secret(ns, "mongo", Map.of("uri", "mongodb://mongo:27017"))).create();
        PushCluster cluster = TestClusters.cluster(ns, "push");
        cluster.getSpec().mongodb = new MongoSpec();
        cluster.getSpec().mongodb.uriSecret = new SecretKeyRef("mongo", "uri");
        client.resource(cluster).create();
        for (String name : List.of("push-gateway", "push-router")) {
            EnvVar uri = env(existing(client, ns, Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0))
                    .get(PodSettings.env(PodSettings.MONGODB_URI));
            assertEquals("mongo", uri.getValueFrom().getSecretKeyRef().getName(), name);
            assertEquals("uri", uri.getValueFrom().getSecretKeyRef().getKey(), name);
        }

        Lease router = TestClusters.podLease(ns, "push", "push-router-a", "router", 0);
        router.getMetadata().setAnnotations(Map.of(LeaseNames.ARCHIVE_STATE_ANNOTATION, LeaseNames.ARCHIVE_MONGO_UNREACHABLE,
                LeaseNames.ARCHIVE_BACKLOG_ANNOTATION, "4200",
                LeaseNames.ARCHIVE_MESSAGE_ANNOTATION, "Writes to MongoDB fail since 2026-12-01T11:59:00Z: timeout"));
        client.resource(router).create();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Condition archive = archiveCondition(ns);
            assertEquals("False", archive.status);
            assertEquals("MongoUnreachable", archive.reason);
            assertTrue(archive.message.contains("Backlog 4200 events"), archive.message);
        });

        edit(client, ns, Lease.class, "push-router-a", lease -> {
            lease.getMetadata().setAnnotations(Map.of(LeaseNames.ARCHIVE_STATE_ANNOTATION, LeaseNames.ARCHIVE_HEALTHY,
                    LeaseNames.ARCHIVE_BACKLOG_ANNOTATION, "0"));
            return lease;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals("True", archiveCondition(ns).status));
    }

    private Condition archiveCondition(String ns) {
        PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
        assertNotNull(current.getStatus(), "no status yet");
        return current.getStatus().condition(Condition.ARCHIVE_HEALTHY).orElseThrow();
    }

    /** What the Deployment controller reports once every pod runs the Deployment's latest spec and passes its probes. */
    private Condition assertCondition(String ns, String type, String status, String reason) {
        PushCluster current = client.resources(PushCluster.class).inNamespace(ns).withName("push").get();
        assertNotNull(current.getStatus(), "no status yet");
        Condition condition = current.getStatus().condition(type).orElseThrow();
        assertEquals(status, condition.status, type + ": " + condition.message);
        assertEquals(reason, condition.reason, type + ": " + condition.message);
        return condition;
    }

    private static String digest(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(PodTemplates.SECRETS_DIGEST_ANNOTATION);
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }
}
