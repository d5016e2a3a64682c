package io.herald.streams;

/**
 * A Redis stream entry id ({@code <millis>-<sequence>}), ordered as Redis orders them.
 */
public record StreamOffset(long millis, long sequence) implements Comparable<StreamOffset> {

    public static StreamOffset parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 1 || dash == id.length() - 1) {
            throw new MalformedEnvelopeException("not a stream id: '" + id + "'");
        }
        try {
            return new StreamOffset(Long.parseUnsignedLong(id.substring(0, dash)),
                    Long.parseUnsignedLong(id.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new MalformedEnvelopeException("not a stream id: '" + id + "'");
        }
    }

    @Override
    public int compareTo(StreamOffset other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
