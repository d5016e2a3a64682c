package io.herald.operator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.herald.contract.JvmSettings;
import io.herald.contract.PodSettings;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;
import io.herald.operator.crd.v1alpha1.spec.SchedulingSpec;

/** What gateway and router pods have in common: identity, Redis, security, probes, scheduling. */
public final class PodTemplates {

    static final int HTTP_PORT = 8080;
    /** Changes when a Secret value the pods read changes, which rolls them. */
    public static final String SECRETS_DIGEST_ANNOTATION = "herald.io/secrets-digest";

    private PodTemplates() {
    }

    /** One Herald container in a pod hardened the way the restricted Pod Security Standard asks. */
    static PodTemplateSpec pod(ClusterNames names, Component component, Container container, SchedulingSpec scheduling,
            long terminationGraceSeconds, Images images) {
        SchedulingSpec placement = Optional.ofNullable(scheduling).orElseGet(SchedulingSpec::new);
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(names.labels(component)).endMetadata()
                .withSpec(new PodSpecBuilder()
                        .withServiceAccountName(names.serviceAccount(component))
                        // Service links would put <SERVICE>_PORT variables of every Service in the namespace
                        // into the environment, and Herald reads HERALD_* variables as its configuration.
                        .withEnableServiceLinks(false)
                        .withTerminationGracePeriodSeconds(terminationGraceSeconds)
                        .withNewSecurityContext()
                            .withRunAsNonRoot(true)
                            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .endSecurityContext()
                        .withContainers(container)
                        .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .withImagePullSecrets(images.pullSecrets())
                        .withNodeSelector(placement.nodeSelector)
                        .withAffinity(placement.affinity)
                        .withTolerations(placement.tolerations)
                        .withTopologySpreadConstraints(Optional.ofNullable(placement.topologySpreadConstraints)
                                .orElseGet(() -> List.of(spreadOverNodes(names, component))))
                        .withPriorityClassName(placement.priorityClassName)
                        .build())
                .build();
    }

    /**
     * Rolls one pod at a time and never below the current count: a replaced gateway drains its
     * clients, a replaced router hands its shards over.
     */
    static Deployment deployment(ClusterNames names, Component component, String name, int replicas,
            PodTemplateSpec pod, Map<String, String> podAnnotations, String secretsDigest) {
        Map<String, String> annotations = new TreeMap<>(Optional.ofNullable(podAnnotations).orElse(Map.of()));
        annotations.put(SECRETS_DIGEST_ANNOTATION, secretsDigest);
        pod.getMetadata().setAnnotations(annotations);
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(names.namespace())
                    .withLabels(names.labels(component)).endMetadata()
                .withNewSpec()
                    .withReplicas(replicas)
                    .withNewSelector().withMatchLabels(names.selector(component)).endSelector()
                    .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                        .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0))
                    .endRollingUpdate().endStrategy()
                    .withTemplate(pod)
                .endSpec()
                .build();
    }

    static ContainerBuilder container(Component component, String image, String pullPolicy, List<EnvVar> env,
            ResourceRequirements resources) {
        return new ContainerBuilder()
                .withName(component.label())
                .withImage(image)
                .withImagePullPolicy(pullPolicy)
                .withEnv(env)
                .addNewPort().withName("http").withContainerPort(HTTP_PORT).withProtocol("TCP").endPort()
                .withResources(resources)
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withRunAsNonRoot(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                // The JVM and Vert.x need a writable temporary directory; nothing else is written.
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .withStartupProbe(probe("/q/health/started", 2, 60))
                .withLivenessProbe(probe("/q/health/live", 10, 3))
                .withReadinessProbe(probe("/q/health/ready", 5, 2));
    }

    /**
     * Settings every Herald pod reads: cluster identity (with the namespace, which keeps its Redis
     * keys apart from a same-named cluster's), its Lease, where Redis is, and where the archive's
     * MongoDB is.
     */
    static List<EnvVar> commonEnv(ClusterNames names, PushClusterSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        env.add(value(PodSettings.env(PodSettings.CLUSTER_NAME), names.cluster()));
        env.add(value(PodSettings.env(PodSettings.CLUSTER_NAMESPACE), names.namespace()));
        env.add(value(PodSettings.env(PodSettings.CLUSTER_SHARDS), Integer.toString(spec.router.shards)));
        env.add(fieldRef(PodSettings.env(PodSettings.NODE_ID), "metadata.name"));
        env.add(fieldRef(PodSettings.env(PodSettings.POD_UID), "metadata.uid"));
        env.add(value(PodSettings.env(PodSettings.LEASE_DURATION), spec.leaseDurationSeconds + "s"));
        env.add(secret("HERALD_REDIS_ADDRESS", spec.redis.addressSecret));
        // Kubernetes expands $(VAR) from variables defined earlier in the list.
        env.add(value(PodSettings.env(PodSettings.REDIS_URL), (spec.redis.tls ? "rediss" : "redis") + "://$(HERALD_REDIS_ADDRESS)"));
        if (spec.redis.cluster) {
            env.add(value(PodSettings.env(PodSettings.REDIS_CLUSTER), "true"));
        }
        if (spec.redis.passwordSecret != null) {
            env.add(secret(PodSettings.env(PodSettings.REDIS_PASSWORD), spec.redis.passwordSecret));
        }
        // Routers write the archive, gateways read history from it.
        if (spec.mongodb != null) {
            env.add(secret(PodSettings.env(PodSettings.MONGODB_URI), spec.mongodb.uriSecret));
        }
        env.add(value("QUARKUS_HTTP_PORT", Integer.toString(HTTP_PORT)));
        env.add(value(JvmSettings.IMAGE_COLLECTOR_VARIABLE, JvmSettings.imageCollectorValue()));
        return env;
    }

    static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    static EnvVar secret(String name, SecretKeyRef ref) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(ref.name).withKey(ref.key).endSecretKeyRef().endValueFrom().build();
    }

    static ResourceRequirements resources(ResourceRequirements configured, String cpuRequest, String memory,
            String memoryLimit) {
        if (configured != null) {
            return configured;
        }
        return new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity(cpuRequest),
                        "memory", new Quantity(memory)))
                .withLimits(Map.of("memory", new Quantity(memoryLimit)))
                .build();
    }

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort("http").endHttpGet()
                .withPeriodSeconds(periodSeconds).withFailureThreshold(failureThreshold).withTimeoutSeconds(2).build();
    }

    /** Soft spread, so that losing one node takes as few of a component's pods as possible. */
    private static TopologySpreadConstraint spreadOverNodes(ClusterNames names, Component component) {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(names.selector(component)).endLabelSelector()
                .build();
    }
}
