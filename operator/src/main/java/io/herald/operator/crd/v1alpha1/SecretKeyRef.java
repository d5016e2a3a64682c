package io.herald.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key in a Secret of the resource's own namespace: secrets never appear in a spec. */
public class SecretKeyRef {

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the same namespace.")
    public String name;

    @Required
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key inside the Secret's data.")
    public String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    @Override
    public String toString() {
        return "Secret " + name + " key " + key;
    }
}
