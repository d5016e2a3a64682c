package io.herald.operator.crd.v1alpha1.spec;

/** Who sets the gateway replica count. */
public enum ScalingMode {
    Connections,
    External
}
