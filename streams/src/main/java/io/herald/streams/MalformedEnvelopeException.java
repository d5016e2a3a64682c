package io.herald.streams;

/** A stream entry that does not follow the envelope format; it is logged and skipped, never retried. */
public class MalformedEnvelopeException extends RuntimeException {

    public MalformedEnvelopeException(String message) {
        super(message);
    }
}
