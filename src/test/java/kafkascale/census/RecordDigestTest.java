package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class RecordDigestTest {

    /** Runs a packed file through the reader's own path: unpack by name, chunk, digest. */
    private static String digestOf(byte[] packed, String name, int chunkLines) throws IOException {
        try (InputStream in = CensusStreams.open(new ByteArrayInputStream(packed), name)) {
            Chunker chunker = new Chunker(in, chunkLines, name, OptionalInt.empty());
            chunker.forEachRemaining(chunk -> { });
            assertTrue(chunker.exhausted());
            return chunker.digest();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] zip(byte[] plain, String entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(plain);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void realJanuary2008RecordsDigestLikeSha256sumOfTheFile() throws Exception {
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("/census-sample/jan08pub.dat")) {
            file = in.readAllBytes();
        }
        // the file is LF-ended with no empty line, so the records' digest is the file's own SHA-256
        assertEquals(sha256(file), digestOf(file, "jan08pub.dat", 4));
        assertTrue(RecordDigest.isDigest(digestOf(file, "jan08pub.dat", 4)));
    }

    @Test
    void lineEndsPackingNameAndChunkSizeDoNotChangeIt() throws Exception {
        byte[] lf;
        try (InputStream in = getClass().getResourceAsStream("/census-sample/jan08pub.dat")) {
            lf = in.readAllBytes();
        }
        String text = new String(lf, StandardCharsets.ISO_8859_1);
        byte[] crlf = text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] blankLinesNoFinalEnd = ("\n" + text.replace("\n", "\n\r\n").strip()).getBytes(StandardCharsets.ISO_8859_1);
        String expected = digestOf(lf, "jan08pub.dat", 4);

        assertEquals(expected, digestOf(crlf, "jan08pub.dat", 4), "CRLF");
        assertEquals(expected, digestOf(blankLinesNoFinalEnd, "x.dat", 4), "empty lines, no final line end");
        assertEquals(expected, digestOf(gzip(lf), "jan08pub.dat.gz", 4), ".gz");
        assertEquals(expected, digestOf(gzip(crlf), "copy.dat.gz", 3), ".gz of CRLF");
        assertEquals(expected, digestOf(zip(crlf, "jan08pub.dat"), "jan08pub.zip", 10), ".zip");
        for (int chunkLines : List.of(1, 3, 7, 1000)) {
            assertEquals(expected, digestOf(lf, "jan08pub.dat", chunkLines), chunkLines + " lines per chunk");
        }
        byte[] corrected = lf.clone();
        corrected[31] = (byte) (corrected[31] == '1' ? '2' : '1'); // one HEHOUSUT digit changed
        assertNotEquals(expected, digestOf(corrected, "jan08pub.dat", 4), "a corrected record");
    }

    @Test
    void csvHeaderIsNoRecordAndChunksDigestLikeTheirRecords() {
        RecordDigest byRecord = new RecordDigest();
        byRecord.addRecord("1,1,2024,1");
        byRecord.addRecord("2,1,2024,5");
        RecordDigest byChunk = new RecordDigest();
        byChunk.addRecords("1,1,2024,1\n2,1,2024,5".getBytes(StandardCharsets.ISO_8859_1), 2);
        assertEquals(byRecord.hex(), byChunk.hex());
        assertEquals(byRecord.hex(), byRecord.hex(), "reading the digest does not end it");
        assertEquals(2, byChunk.records());

        Chunker csv = new Chunker(new ByteArrayInputStream(
                "HRHHID,HRMONTH,HRYEAR4,HEHOUSUT\r\n1,1,2024,1\r\n2,1,2024,5\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                10, "jan24pub.csv", OptionalInt.empty());
        csv.forEachRemaining(chunk -> { });
        assertEquals(byRecord.hex(), csv.digest());

        assertFalse(RecordDigest.isDigest(byRecord.hex().toUpperCase()));
        assertFalse(RecordDigest.isDigest(byRecord.hex().substring(1)));
        assertFalse(RecordDigest.isDigest(null));
    }
}
