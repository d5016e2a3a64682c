package io.herald.operator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;
import io.herald.operator.crd.v1alpha1.spec.GatewaySpec;
import io.herald.operator.crd.v1alpha1.spec.ScalingMode;

/**
 * What is wrong with a PushCluster spec. Errors stop the operator from touching the cluster's
 * workloads (they keep running as they are); warnings leave it working but say what will fail.
 *
 * <p>The CRD schema and its CEL rules refuse most errors at admission already. They are checked
 * here again because a spec can predate a rule, and because not every API server (nor the test
 * server) evaluates them.
 */
record ClusterSpecCheck(List<String> errors, List<String> warnings) {

    /** Names become part of Service names, which must be DNS-1035 labels of at most 63 characters. */
    static final int MAX_NAME_LENGTH = 47;

    /**
     * @param name the PushCluster's name
     * @param deployedShards the shard count the running routers were given, if any
     * @param secretKeyExists whether a Secret key exists and is not empty
     * @param secretExists whether a Secret of that name exists
     */
    static ClusterSpecCheck of(String name, PushClusterSpec spec, Optional<Integer> deployedShards,
            Predicate<SecretKeyRef> secretKeyExists, Predicate<String> secretExists) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!name.matches("[a-z]([-a-z0-9]*[a-z0-9])?") || name.length() > MAX_NAME_LENGTH) {
            errors.add("metadata.name must start with a letter, use lower-case letters, digits and '-', and have at most "
                    + MAX_NAME_LENGTH + " characters: it names the cluster's Services (" + name + "-gateway)");
        }
        if (spec == null) {
            errors.add("spec is missing");
            return new ClusterSpecCheck(errors, warnings);
        }
        GatewaySpec gateway = spec.gateway;
        if (gateway == null || spec.router == null) {
            errors.add("spec.gateway and spec.router must be objects");
            return new ClusterSpecCheck(errors, warnings);
        }
        if (gateway.minReplicas < 1 || gateway.maxReplicas < 1) {
            errors.add("gateway.minReplicas and gateway.maxReplicas must be at least 1");
        }
        if (gateway.minReplicas > gateway.maxReplicas) {
            errors.add("gateway.minReplicas (" + gateway.minReplicas + ") must not exceed gateway.maxReplicas ("
                    + gateway.maxReplicas + ")");
        }
        if (gateway.replicas != null && (gateway.replicas < gateway.minReplicas || gateway.replicas > gateway.maxReplicas)) {
            errors.add("gateway.replicas (" + gateway.replicas + ") must lie between gateway.minReplicas and "
                    + "gateway.maxReplicas");
        }
        if (gateway.targetConnectionsPerPod < 1) {
            errors.add("gateway.targetConnectionsPerPod must be at least 1");
        }
        if (gateway.maxConnectionsPerPod != null && gateway.maxConnectionsPerPod < gateway.targetConnectionsPerPod) {
            errors.add("gateway.maxConnectionsPerPod (" + gateway.maxConnectionsPerPod + ") must be at least "
                    + "gateway.targetConnectionsPerPod (" + gateway.targetConnectionsPerPod + ")");
        }
        if (gateway.drainSeconds < 0 || gateway.scaleDownStabilizationSeconds < 0) {
            errors.add("gateway.drainSeconds and gateway.scaleDownStabilizationSeconds must not be negative");
        }
        if (spec.router.replicas < 1) {
            errors.add("router.replicas must be at least 1");
        }
        if (spec.router.shards < 1 || spec.router.shards > 16384) {
            errors.add("router.shards must be between 1 and 16384");
        }
        deployedShards.filter(shards -> shards != spec.router.shards).ifPresent(shards -> errors.add(
                "router.shards is immutable: the cluster was created with " + shards + " shards, the spec asks for "
                        + spec.router.shards));
        if (spec.leaseDurationSeconds < 5) {
            errors.add("leaseDurationSeconds must be at least 5");
        }
        if (spec.redis == null || spec.redis.addressSecret == null) {
            errors.add("redis.addressSecret is required: a Secret key holding host:port");
        } else {
            requireSecret(spec.redis.addressSecret, "redis.addressSecret", secretKeyExists, warnings);
            Optional.ofNullable(spec.redis.passwordSecret)
                    .ifPresent(ref -> requireSecret(ref, "redis.passwordSecret", secretKeyExists, warnings));
        }
        Optional.ofNullable(spec.mongodb).map(mongo -> mongo.uriSecret)
                .ifPresent(ref -> requireSecret(ref, "mongodb.uriSecret", secretKeyExists, warnings));
        if (spec.ingress != null && spec.ingress.tlsSecret != null && !spec.ingress.tlsSecret.isBlank()
                && !secretExists.test(spec.ingress.tlsSecret)) {
            warnings.add("ingress.tlsSecret " + spec.ingress.tlsSecret + " does not exist: the ingress controller "
                    + "will serve its default certificate");
        }
        if (gateway.scaling == ScalingMode.External && gateway.replicas == null) {
            warnings.add("gateway.scaling is External but gateway.replicas is not set: running gateway.minReplicas");
        }
        return new ClusterSpecCheck(List.copyOf(errors), List.copyOf(warnings));
    }

    private static void requireSecret(SecretKeyRef ref, String field, Predicate<SecretKeyRef> secretKeyExists,
            List<String> warnings) {
        if (!secretKeyExists.test(ref)) {
            warnings.add(field + ": " + ref + " is missing or empty; pods cannot start until it exists");
        }
    }
}
