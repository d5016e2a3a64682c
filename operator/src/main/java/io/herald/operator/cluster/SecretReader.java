package io.herald.operator.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Secret;
import io.herald.operator.crd.v1alpha1.SecretKeyRef;

/**
 * Reads the Secrets a spec refers to, in the resource's namespace: from the informer on labelled
 * Secrets ({@link WatchedSecrets}), and with a GET only for a Secret the informer does not hold.
 * That fallback keeps a Secret created before the label existed working; the reader remembers its
 * name so that the status can ask for the label, since only labelled Secrets are watched.
 */
public final class SecretReader {

    private final Function<String, Optional<Secret>> watched;
    private final Function<String, Optional<Secret>> fetch;
    private final Set<String> unlabelled = new TreeSet<>();

    /**
     * @param watched a Secret by name from the informer's cache
     * @param fetch a Secret by name from the API server
     */
    public SecretReader(Function<String, Optional<Secret>> watched, Function<String, Optional<Secret>> fetch) {
        this.watched = watched;
        this.fetch = fetch;
    }

    public Optional<Secret> secret(String name) {
        Optional<Secret> secret = watched.apply(name).or(() -> fetch.apply(name));
        secret.filter(found -> !isLabelled(found)).ifPresent(found -> unlabelled.add(name));
        return secret;
    }

    public Optional<String> value(SecretKeyRef ref) {
        if (ref == null || ref.name == null || ref.key == null) {
            return Optional.empty();
        }
        return secret(ref.name).flatMap(secret -> value(secret, ref.key));
    }

    private static boolean isLabelled(Secret secret) {
        return Optional.ofNullable(secret.getMetadata().getLabels()).map(labels -> "true".equals(labels.get(WatchedSecrets.LABEL)))
                .orElse(false);
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

    /**
     * Whether a Secret exists that the operator only checks for, such as the Ingress TLS Secret
     * that cert-manager may write: it need not carry the label, so it is not asked for.
     */
    public boolean exists(String name) {
        return watched.apply(name).or(() -> fetch.apply(name)).isPresent();
    }

    /** A warning per Secret read so far that exists without the label, so it was read with a GET. */
    public List<String> unlabelledWarnings() {
        return unlabelled.stream().map(name -> "Secret " + name + " is not labelled " + WatchedSecrets.SELECTOR
                + ": the operator reads it with a GET on every reconcile and applies a change only at its next resync; "
                + "label it to have changes applied at once").toList();
    }
}
