package io.herald.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table, printed as is so that results can be pasted into docs/performance.md. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(String... cells) {
        rows.add(cells);
        return this;
    }

    @Override
    public String toString() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], Math.max(3, cell(row, i).length()));
            }
        }
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            line(text, rows.get(r), widths);
            if (r == 0) {
                String[] rule = new String[columns];
                for (int i = 0; i < columns; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                line(text, rule, widths);
            }
        }
        return text.toString();
    }

    private static void line(StringBuilder text, String[] row, int[] widths) {
        text.append('|');
        for (int i = 0; i < widths.length; i++) {
            String cell = cell(row, i);
            text.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
        }
        text.append('\n');
    }

    private static String cell(String[] row, int i) {
        return i < row.length && row[i] != null ? row[i] : "";
    }

    /** A whole number with thousands separators: 123,456. */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String decimal(double value, int places) {
        return String.format(Locale.ROOT, "%,." + places + "f", value);
    }

    static String bytes(double value) {
        if (Math.abs(value) >= 1024 * 1024) {
            return decimal(value / (1024 * 1024), 1) + " MiB";
        }
        if (Math.abs(value) >= 1024) {
            return decimal(value / 1024, 2) + " KiB";
        }
        return count(value) + " B";
    }
}
