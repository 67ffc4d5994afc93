package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SurveyMonthTest {

    private static final Optional<SurveyMonth> JAN_2008 = Optional.of(new SurveyMonth(2008, 1));

    private static Chunker chunker(String text, String name) {
        return new Chunker(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), 10, name,
                OptionalInt.empty());
    }

    @Test
    void realJanuary2008RecordsSayTheirMonthWhateverTheFileIsCalled() throws Exception {
        String first;
        try (InputStream in = getClass().getResourceAsStream("/census-sample/jan08pub.dat")) {
            first = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElseThrow();
        }
        assertEquals(" 1", first.substring(15, 17), "HRMONTH of the real record");
        assertEquals("2008", first.substring(17, 21), "HRYEAR4 of the real record");
        assertEquals(JAN_2008, SurveyMonth.fromFixedWidth(first));
        for (String name : List.of("jan08pub.dat", "copy.dat", "feb19pub.dat", "")) {
            try (InputStream in = getClass().getResourceAsStream("/census-sample/jan08pub.dat")) {
                Chunker chunker = new Chunker(in, 4, name, OptionalInt.empty());
                assertEquals(JAN_2008, chunker.surveyMonth(), "the records win over the name '" + name + "'");
                List<Chunk> chunks = new ArrayList<>();
                chunker.forEachRemaining(chunks::add);
                assertEquals(10, chunker.records(), "asking for the month first loses no record");
                assertEquals(first, chunks.get(0).text().substring(0, first.length()));
            }
        }
    }

    @Test
    void csvRecordsNameTheirColumnsInAnyCase(@TempDir Path dir) throws Exception {
        assertEquals(Optional.of(new SurveyMonth(2024, 3)),
                SurveyMonth.fromCsv("HRHHID,hrmonth,HRYEAR4,hehousut", "1,3,2024,1"));
        assertEquals(Optional.of(new SurveyMonth(2024, 11)),
                SurveyMonth.fromCsv("\"hryear4\",\"HrMonth\",\"HEHOUSUT\"\r", "\"2024\",\"11\",\"1\"\r"));
        assertEquals(Optional.empty(), SurveyMonth.fromCsv("HRYEAR4,HEHOUSUT", "2024,1"), "no HRMONTH column");
        assertEquals(Optional.empty(), SurveyMonth.fromCsv("HRMONTH,HRYEAR4,HEHOUSUT", "3"), "row too short");

        Chunker csv = chunker("HRHHID,hrmonth,HRYEAR4,hehousut\n1,4,2025,1\n2,4,2025,5\n", "whatever.csv");
        assertEquals(Optional.of(new SurveyMonth(2025, 4)), csv.surveyMonth());
        // and a month the generator writes in the published CSV form
        Path file = new SampleGenerator(7).writeMonth(dir, 2024, 9, 20, SampleGenerator.Shape.CSV, true);
        try (InputStream in = Files.newInputStream(file)) {
            Chunker generated = new Chunker(in, 10, "renamed.csv", OptionalInt.empty());
            assertEquals(Optional.of(new SurveyMonth(2024, 9)), generated.surveyMonth());
        }
    }

    @Test
    void theFileNameIsOnlyTheFallback() {
        assertEquals(Optional.of(new SurveyMonth(2019, 1)), SurveyMonth.fromFileName("jan19pub.dat.gz"));
        assertEquals(Optional.of(new SurveyMonth(1998, 12)), SurveyMonth.fromFileName("DEC98PUB.ZIP"));
        assertEquals(Optional.of(new SurveyMonth(1994, 6)), SurveyMonth.fromFileName("cps_jun94pub.csv"));
        assertEquals(Optional.of(new SurveyMonth(2093, 2)), SurveyMonth.fromFileName("feb93pub.dat"), "93 is not the 1990s");
        assertEquals(Optional.empty(), SurveyMonth.fromFileName("abc19pub.dat"), "not a month");
        assertEquals(Optional.empty(), SurveyMonth.fromFileName("xjan19pub.dat"), "not at a name boundary");
        assertEquals(Optional.empty(), SurveyMonth.fromFileName("census.dat"));
        assertEquals(Optional.empty(), SurveyMonth.fromFileName(null));

        String noMonth = "0026003109976901x2008" + " ".repeat(40); // HRMONTH '1x' is garbled
        assertEquals(Optional.empty(), SurveyMonth.fromFixedWidth(noMonth));
        assertEquals(Optional.of(new SurveyMonth(2015, 10)), chunker(noMonth + "\n", "oct15pub.dat").surveyMonth());
        assertEquals(Optional.empty(), SurveyMonth.fromFixedWidth("002600310997690-12008" + " ".repeat(40)), "-1 is no month");
        assertEquals(Optional.empty(), SurveyMonth.fromFixedWidth("short"));
    }

    @Test
    void unknownWhenNeitherRecordsNorNameTell() {
        Chunker chunker = chunker("HRHHID,HEHOUSUT\n1,1\n", "export.csv");
        assertEquals(Optional.empty(), chunker.surveyMonth());
        assertEquals(Optional.empty(), chunker("", "nothing.dat").surveyMonth());
        assertEquals(Optional.of(new SurveyMonth(2020, 5)), chunker("", "may20pub.dat").surveyMonth());
    }

    @Test
    void textFormAndBounds() {
        SurveyMonth jan = SurveyMonth.parse("2019-01");
        assertEquals(new SurveyMonth(2019, 1), jan);
        assertEquals("2019-01", jan.toString());
        assertEquals("1994-12", new SurveyMonth(1994, 12).toString());
        assertTrue(new SurveyMonth(2019, 2).compareTo(jan) > 0);
        assertTrue(new SurveyMonth(2018, 12).compareTo(jan) < 0);
        for (String bad : new String[] {"1993-12", "3000-01", "2019-00", "2019-13", "2019-1", " 2019-01", "2019-01 ",
                "19-01", "2019/01", "", "２０１９-01"}) {
            assertFalse(SurveyMonth.tryParse(bad).isPresent(), bad);
            assertThrows(IllegalArgumentException.class, () -> SurveyMonth.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new SurveyMonth(2019, 0));
        assertThrows(IllegalArgumentException.class, () -> new SurveyMonth(1993, 5));
        assertEquals(Optional.empty(), SurveyMonth.fromFixedWidth("002600310997690 11993" + " ".repeat(40)),
                "before the CPS files start");
    }

    /**
     * The text form is read and written by hand (round 9: String.format and a regex per chunk cost 2 %
     * of a run); held here to the forms they replaced, for every month in bounds and for random text.
     */
    @Test
    void textFormIsTheFormatAndRegexItReplaced() {
        java.util.regex.Pattern regex = java.util.regex.Pattern.compile("(\\d{4})-(\\d{2})");
        for (int year = SurveyMonth.FIRST_YEAR; year <= SurveyMonth.LAST_YEAR; year++) {
            for (int month = 1; month <= 12; month++) {
                String text = String.format(java.util.Locale.ROOT, "%04d-%02d", year, month);
                assertEquals(text, new SurveyMonth(year, month).toString());
                assertEquals(Optional.of(new SurveyMonth(year, month)), SurveyMonth.tryParse(text));
            }
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        String alphabet = "0123456789-+ /a\u0660\uff10";
        for (int i = 0; i < 200_000; i++) {
            char[] chars = new char[random.nextInt(5, 9)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = random.nextInt(4) > 0 ? (char) ('0' + random.nextInt(10)) : alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String text = new String(chars);
            java.util.regex.Matcher m = regex.matcher(text);
            Optional<SurveyMonth> expected = m.matches()
                    ? SurveyMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : Optional.empty();
            assertEquals(expected, SurveyMonth.tryParse(text), text);
        }
    }
}
