package io.herald.operator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.herald.contract.LeaseNames;
import io.herald.operator.cluster.WatchedSecrets;
import io.herald.operator.crd.v1alpha1.PushApp;
import io.herald.operator.crd.v1alpha1.PushAppSpec;
import io.herald.operator.crd.v1alpha1.PushCluster;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;
import io.herald.operator.crd.v1alpha1.spec.RedisSpec;

/** Resources as a user or a pod would write them, for operator tests. */
public final class TestClusters {

    public static final String REDIS_SECRET = "redis";

    private TestClusters() {
    }

    public static PushCluster cluster(String namespace, String name) {
        PushCluster cluster = new PushCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        PushClusterSpec spec = new PushClusterSpec();
        spec.redis = new RedisSpec();
        spec.redis.addressSecret = new SecretKeyRef(REDIS_SECRET, "address");
        cluster.setSpec(spec);
        return cluster;
    }

    /**
     * A cluster whose gateways scale on connections, 100 per pod, between {@code min} and
     * {@code max}, down after {@code stabilizationSeconds} and one pod a second.
     */
    public static PushCluster scaledByConnections(String namespace, String name, int min, int max, int stabilizationSeconds) {
        PushCluster cluster = cluster(namespace, name);
        cluster.getSpec().gateway.minReplicas = min;
        cluster.getSpec().gateway.maxReplicas = max;
        cluster.getSpec().gateway.targetConnectionsPerPod = 100;
        cluster.getSpec().gateway.scaleDownStabilizationSeconds = stabilizationSeconds;
        cluster.getSpec().gateway.drainSeconds = 1;
        return cluster;
    }

    public static PushApp app(String namespace, String name, String cluster, String appId, String key, String secretName) {
        PushApp app = new PushApp();
        app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        PushAppSpec spec = new PushAppSpec();
        spec.cluster = cluster;
        spec.appId = appId;
        spec.key = key;
        spec.secretRef = new SecretKeyRef(secretName, "secret");
        app.setSpec(spec);
        return app;
    }

    /** A Secret labelled as docs/operations.md asks, so that the operator watches it. */
    public static Secret secret(String namespace, String name, Map<String, String> values) {
        Map<String, String> data = new HashMap<>();
        values.forEach((key, value) -> data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(Map.of(WatchedSecrets.LABEL, "true")).endMetadata()
                .withData(data).build();
    }

    public static Secret redisSecret(String namespace) {
        return secret(namespace, REDIS_SECRET, Map.of("address", "redis.example:6379"));
    }

    /** A gateway's Lease as Membership keeps it: renewed just now, with its connection count. */
    public static Lease gatewayLease(String namespace, String cluster, String pod, long connections) {
        return podLease(namespace, cluster, pod, "gateway", connections);
    }

    /** A kubeconfig that points processes at a test API server, in a namespace, as pods are pointed at theirs. */
    public static Path kubeconfig(String server, String namespace) throws IOException {
        return kubeconfig(server, Optional.of(namespace));
    }

    /** A kubeconfig whose context names no namespace, as a developer's often does not. */
    public static Path kubeconfig(String server) throws IOException {
        return kubeconfig(server, Optional.empty());
    }

    private static Path kubeconfig(String server, Optional<String> namespace) throws IOException {
        return Files.writeString(Files.createTempFile(Path.of("target"), "kubeconfig", ".yaml"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: test, cluster: {server: "%s"}}]
                contexts: [{name: test, context: {cluster: test, user: test%s}}]
                current-context: test
                users: [{name: test, user: {token: test}}]
                """.formatted(server, namespace.map(name -> ", namespace: " + name).orElse("")));
    }

    /**
     * Answers the access review JOSDK makes before leader election, which the CRUD server cannot
     * evaluate, with permission on Leases.
     */
    public static void allowLeaseAccess(MockServerExpectation expectation) {
        expectation.post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
                        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                            .withVerbs("*").endResourceRule()
                        .endStatus().build())
                .always();
    }

    /** Answers creates in a collection as an API server without the kind's CRD does: 404. */
    public static void kindNotInstalled(MockServerExpectation expectation, String collectionPath) {
        expectation.post().withPath(collectionPath)
                .andReturn(404, new StatusBuilder().withStatus("Failure").withReason("NotFound").withCode(404)
                        .withMessage("the server could not find the requested resource").build())
                .always();
    }

    /**
     * A pod's Lease as Membership keeps it: named after the pod, held by the pod's current process
     * ({@code <pod>@<incarnation>}).
     */
    public static Lease podLease(String namespace, String cluster, String pod, String role, long connections) {
        return new LeaseBuilder()
                .withNewMetadata().withName(pod).withNamespace(namespace)
                    .withLabels(Map.of(LeaseNames.CLUSTER_LABEL, cluster, LeaseNames.ROLE_LABEL, role))
                    .withAnnotations(Map.of(LeaseNames.CONNECTIONS_ANNOTATION, Long.toString(connections)))
                .endMetadata()
                .withNewSpec().withHolderIdentity(pod + "@" + Integer.toHexString(pod.hashCode())).withLeaseDurationSeconds(15)
                    .withRenewTime(ZonedDateTime.now()).withAcquireTime(ZonedDateTime.now()).endSpec()
                .build();
    }
}
