package dev.marketops.platform.files;

/**
 * Spreadsheet formula injection: a text cell that starts with = + - @, a tab or a carriage
 * return is run as a formula by Excel and LibreOffice when a CSV is opened (and copied cells
 * keep it). Every text the platform writes into a result, rejected-rows or export file goes
 * through {@link #text}, which prefixes such a value with an apostrophe so it stays text.
 */
public final class SafeCells {

    private SafeCells() {
    }

    public static String text(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char c = value.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + value : value;
    }
}
