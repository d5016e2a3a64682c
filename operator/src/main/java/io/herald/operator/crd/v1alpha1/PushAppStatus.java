package io.herald.operator.crd.v1alpha1;

/** Whether the app is published to its cluster's gateways, and if not, why. */
public class PushAppStatus extends HeraldStatus {
}
