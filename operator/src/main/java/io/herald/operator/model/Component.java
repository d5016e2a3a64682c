package io.herald.operator.model;

public enum Component {
    GATEWAY("gateway"),
    ROUTER("router");

    private final String label;

    Component(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
