package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordLayoutTest {

    private static final RecordLayout FIXED = RecordLayout.FIXED_WIDTH;

    private static String record(String code) {
        return "002600310997690 12008" + "2201-1-1 " + code + "-1 1-1" + "x".repeat(60);
    }

    @Test
    void readsRightJustifiedCodeAtZeroBasedColumns30And31() {
        assertEquals(30, record(" 1").indexOf(" 1-1 1-1"));
        assertEquals(1, FIXED.classify(record(" 1")));
        assertEquals(12, FIXED.classify(record("12")));
        assertEquals(0, FIXED.classify(record(" 0")));
        assertEquals(5, FIXED.classify(record("05")));
    }

    @Test
    void toleratesCarriageReturnLineEnds() {
        assertEquals(6, FIXED.classify(record(" 6") + "\r"));
        String exactly32 = record(" 6").substring(0, 32);
        assertEquals(6, FIXED.classify(exactly32 + "\r"));
    }

    @Test
    void rejectsShortLinesGarbledAndUnknownCodesByReason() {
        assertEquals(RejectReason.SHORT_LINE, RecordLayout.rejection(FIXED.classify("too short")));
        assertEquals(RejectReason.SHORT_LINE, RecordLayout.rejection(FIXED.classify(record(" 1").substring(0, 31))));
        assertEquals(RejectReason.SHORT_LINE, RecordLayout.rejection(FIXED.classify(record(" 1").substring(0, 31) + "\r")));
        assertEquals(RejectReason.GARBLED_CODE, RecordLayout.rejection(FIXED.classify(record("x?"))));
        assertEquals(RejectReason.GARBLED_CODE, RecordLayout.rejection(FIXED.classify(record("  "))));
        assertEquals(RejectReason.UNKNOWN_CODE, RecordLayout.rejection(FIXED.classify(record("13"))));
        assertEquals(RejectReason.UNKNOWN_CODE, RecordLayout.rejection(FIXED.classify(record("-1"))));
        assertEquals(RejectReason.UNKNOWN_CODE, RecordLayout.rejection(FIXED.classify(record("99"))));
    }

    @Test
    void findsCsvColumnsByNameWhateverTheirCase() {
        RecordLayout csv = RecordLayout.fromCsvHeader("HRHHID,hrmonth,HRYEAR4,HeHousut,x\r").orElseThrow();
        assertTrue(csv.isCsv());
        assertEquals(7, csv.classify("123,1,2024,7,9"));
        assertEquals(7, csv.classify("123,1,2024,\"7\",9\r"));
        assertEquals(Optional.of(2024), csv.year("123,1,2024,7,9"));
        assertEquals(RejectReason.MISSING_FIELD, RecordLayout.rejection(csv.classify("123,1,2024")));
        assertEquals(RejectReason.UNKNOWN_CODE, RecordLayout.rejection(csv.classify("123,1,2024,-1,9")));
        assertEquals(csv, RecordLayout.parse(csv.describe()));
        assertFalse(RecordLayout.fromCsvHeader(record(" 1")).isPresent());
        assertFalse(RecordLayout.fromCsvHeader("a,b,c").isPresent());
    }

    @Test
    void layoutDescriptionsRoundTripAndRejectNonsense() {
        assertEquals(FIXED, RecordLayout.parse("fixed"));
        assertEquals(FIXED, RecordLayout.parse(null));
        assertThrows(IllegalArgumentException.class, () -> RecordLayout.parse("tsv:1"));
    }

    @Test
    void yearComesFromHryear4() {
        assertEquals(Optional.of(2008), FIXED.year(record(" 1")));
        assertEquals(Optional.empty(), FIXED.year("short"));
    }
}
