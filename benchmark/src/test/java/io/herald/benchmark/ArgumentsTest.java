package io.herald.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void readsGivenValuesAndDefaults() {
        Arguments arguments = new Arguments(new String[] {"fanout", "--rate", "2_000", "--gc", "no"}, 1);
        assertEquals(2000, arguments.number("rate", 1));
        assertEquals("no", arguments.text("gc", "yes"));
        assertEquals(30, arguments.integer("duration-seconds", 30));
        arguments.rejectUnknown();
    }

    @Test
    void readsYesOrNo() {
        Arguments arguments = new Arguments(new String[] {"drain", "--compare", "yes", "--gc", "maybe"}, 1);
        assertTrue(arguments.yesOrNo("compare", false));
        assertFalse(arguments.yesOrNo("warm", false));
        assertThrows(IllegalArgumentException.class, () -> arguments.yesOrNo("gc", true));
    }

    @Test
    void rejectsOptionsNobodyReads() {
        Arguments arguments = new Arguments(new String[] {"fanout", "--rtae", "5"}, 1);
        arguments.number("rate", 1);
        assertThrows(IllegalArgumentException.class, arguments::rejectUnknown);
    }

    @Test
    void rejectsMissingValuesAndBadNumbers() {
        assertThrows(IllegalArgumentException.class, () -> new Arguments(new String[] {"x", "--rate"}, 1));
        assertThrows(IllegalArgumentException.class, () -> new Arguments(new String[] {"x", "--rate", "fast"}, 1).number("rate", 1));
        assertThrows(IllegalArgumentException.class, () -> new Arguments(new String[] {"x", "--rate", "-1"}, 1).number("rate", 1));
    }
}
