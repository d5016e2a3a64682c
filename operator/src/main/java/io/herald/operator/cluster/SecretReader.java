package io.herald.operator.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;

/** Reads the Secrets a spec refers to, in the resource's namespace. */
public record SecretReader(KubernetesClient client, String namespace) {

    public Optional<Secret> secret(String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }

    public Optional<String> value(SecretKeyRef ref) {
        if (ref == null || ref.name == null || ref.key == null) {
            return Optional.empty();
        }
        return secret(ref.name).flatMap(secret -> value(secret, ref.key));
    }

    public static Optional<String> value(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
        }
        return Optional.ofNullable(secret.getStringData()).map(data -> data.get(key));
    }

    /**
     * A digest of the referenced values. Pods read them as environment variables, which never
     * change in a running pod; a pod template annotation carrying the digest rolls the pods when
     * one of them changes.
     */
    public String digest(List<SecretKeyRef> refs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (SecretKeyRef ref : refs) {
                sha.update((ref.name + "/" + ref.key + "=" + value(ref).orElse("") + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    public boolean hasValue(SecretKeyRef ref) {
        return value(ref).filter(v -> !v.isBlank()).isPresent();
    }

    public boolean exists(String name) {
        return secret(name).isPresent();
    }
}
