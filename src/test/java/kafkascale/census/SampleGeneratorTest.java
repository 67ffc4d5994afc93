package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import kafkascale.census.SampleGenerator.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated months look like published ones: to the app, and to a compressor (benchmarks rely on that). */
class SampleGeneratorTest {

    @TempDir
    Path dir;

    private List<String> lines(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
    }

    @Test
    void recordsHaveThePublishedLengthAndFields() throws IOException {
        List<String> records = lines(new SampleGenerator(1).writeMonth(dir, 2019, 3, 5_000, Shape.DAT_GZ, false));
        assertEquals(5_000, records.size());
        int codeOne = 0;
        int mobileHomes = 0;
        for (String record : records) {
            assertEquals(SampleGenerator.RECORD_LENGTH, record.length());
            assertEquals(" 3", record.substring(15, 17), "HRMONTH");
            assertEquals("2019", record.substring(17, 21), "HRYEAR4");
            int code = RecordLayout.FIXED_WIDTH.classify(record);
            assertTrue(code >= 0, "every generated record has a valid HEHOUSUT: " + record.substring(0, 40));
            codeOne += code == 1 ? 1 : 0;
            mobileHomes += code == 5 || code == 6 ? 1 : 0;
        }
        assertTrue(codeOne > 0.9 * records.size(), "code 1 is over 90 %: " + codeOne);
        assertTrue(mobileHomes > 0.02 * records.size(), "mobile homes come next: " + mobileHomes);
        assertTrue(records.stream().anyMatch(r -> r.contains("-1-1-1-1")), "items out of universe are -1");
    }

    @Test
    void membersOfAHouseholdRepeatItsColumnsAndDifferInTheirOwn() throws IOException {
        List<String> records = lines(new SampleGenerator(2).writeMonth(dir, 2019, 1, 2_000, Shape.DAT_GZ, false));
        int sameHousehold = 0;
        int differentPerson = 0;
        for (int i = 1; i < records.size(); i++) {
            String a = records.get(i - 1);
            String b = records.get(i);
            if (a.substring(0, 15).equals(b.substring(0, 15))) {
                sameHousehold++;
                assertEquals(a.substring(0, 120), b.substring(0, 120), "household columns repeat");
                differentPerson += a.substring(140).equals(b.substring(140)) ? 0 : 1;
            }
        }
        assertTrue(sameHousehold > 500, "most records share a household with the one before: " + sameHousehold);
        assertTrue(differentPerson > 0.9 * sameHousehold, "person columns vary: " + differentPerson);
    }

    @Test
    void aMonthGzipsToAboutATenthAsPublishedFilesDo() throws IOException {
        Path gz = new SampleGenerator(2019).writeMonth(dir, 2019, 1, 20_000, Shape.DAT_GZ, false);
        double ratio = (double) Files.size(gz) / (20_000L * (SampleGenerator.RECORD_LENGTH + 1));
        assertTrue(ratio > 0.08 && ratio < 0.12, "gzipped / unpacked = " + ratio);
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws IOException {
        Path a = new SampleGenerator(7).writeMonth(dir.resolve("a"), 2019, 1, 1_000, Shape.DAT_GZ, false);
        Path b = new SampleGenerator(7).writeMonth(dir.resolve("b"), 2019, 1, 1_000, Shape.DAT_GZ, false);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(1000, new SampleGenerator(7).fixedWidthRecord("000000000000001", 2019, 1, 12).length());
        assertEquals("12", new SampleGenerator(7).fixedWidthRecord("000000000000001", 2019, 1, 12).substring(30, 32));
    }
}
