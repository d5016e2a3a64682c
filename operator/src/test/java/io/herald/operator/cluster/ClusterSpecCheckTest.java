package io.herald.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.herald.operator.TestClusters;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;
import io.herald.operator.crd.v1alpha1.spec.IngressSpec;
import io.herald.operator.crd.v1alpha1.spec.ScalingMode;

class ClusterSpecCheckTest {

    @Test
    void aValidSpecWithItsSecretsPasses() {
        assertEquals(new ClusterSpecCheck(List.of(), List.of()), check("push", spec(), Optional.of(64), true));
    }

    @Test
    void everyBrokenRuleIsNamed() {
        PushClusterSpec spec = spec();
        spec.gateway.minReplicas = 5;
        spec.gateway.maxReplicas = 3;
        spec.gateway.replicas = 9;
        spec.gateway.maxConnectionsPerPod = 500;
        spec.router.shards = 32;
        spec.leaseDurationSeconds = 2;
        ClusterSpecCheck check = check("9-lives", spec, Optional.of(64), true);
        assertEquals(List.of(
                "metadata.name must start with a letter, use lower-case letters, digits and '-', and have at most 47 "
                        + "characters: it names the cluster's Services (9-lives-gateway)",
                "gateway.minReplicas (5) must not exceed gateway.maxReplicas (3)",
                "gateway.replicas (9) must lie between gateway.minReplicas and gateway.maxReplicas",
                "gateway.maxConnectionsPerPod (500) must be at least gateway.targetConnectionsPerPod (10000)",
                "router.shards is immutable: the cluster was created with 64 shards, the spec asks for 32",
                "leaseDurationSeconds must be at least 5"), check.errors());
    }

    @Test
    void missingReferencesAreWarningsNotErrors() {
        PushClusterSpec spec = spec();
        spec.redis.passwordSecret = new SecretKeyRef("redis-auth", "password");
        spec.ingress = new IngressSpec();
        spec.ingress.host = "push.example.com";
        spec.ingress.tlsSecret = "push-tls";
        spec.gateway.scaling = ScalingMode.External;
        ClusterSpecCheck check = check("push", spec, Optional.empty(), false);
        assertEquals(List.of(), check.errors());
        assertEquals(List.of(
                "redis.addressSecret: Secret redis key address is missing or empty; pods cannot start until it exists",
                "redis.passwordSecret: Secret redis-auth key password is missing or empty; pods cannot start until it exists",
                "ingress.tlsSecret push-tls does not exist: the ingress controller will serve its default certificate",
                "gateway.scaling is External but gateway.replicas is not set: running gateway.minReplicas"), check.warnings());
    }

    private static PushClusterSpec spec() {
        return TestClusters.cluster("ns", "push").getSpec();
    }

    private static ClusterSpecCheck check(String name, PushClusterSpec spec, Optional<Integer> shards, boolean secretsExist) {
        return ClusterSpecCheck.of(name, spec, shards, ref -> secretsExist, secret -> secretsExist);
    }
}
