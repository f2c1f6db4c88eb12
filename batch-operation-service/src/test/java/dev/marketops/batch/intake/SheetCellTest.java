package dev.marketops.batch.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.marketops.platform.files.SafeCells;
import org.junit.jupiter.api.Test;

/** A text the platform wrote safe (SafeCells) reads back as the user's text: exports round-trip through an upload. */
class SheetCellTest {

    @Test
    void theSafetyApostropheOfTheOwnFilesIsTakenOffWhenReadBack() {
        for (String title : new String[] {"=Top deal", "+86 hotline", "-50% today", "@home", "plain title", "'quoted'"}) {
            assertEquals(title, new SheetCell(SafeCells.text(title), null, false).text(), title);
        }
        // an apostrophe before anything else is the user's own text
        assertEquals("'tis the season", new SheetCell("'tis the season", null, false).text());
        assertEquals("'", new SheetCell("'", null, false).text());
        // a formula cell's cached value and a number are never touched
        assertEquals("'=x", new SheetCell("'=x", "A1", false).text());
        assertEquals("'-1", new SheetCell("'-1", null, false, true).text());
    }
}
