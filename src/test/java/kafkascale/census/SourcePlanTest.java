package kafkascale.census;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SourcePlanTest {

    @Test
    void expandsYearsMonthsAndTemplatesInOrder() {
        List<CensusSource> plan = SourcePlan.plan("2019, 2024", "jan,Feb",
                "http://h/{year}/basic/{mon}{yy}pub.dat.gz,http://h/{year}/basic/{mon}{yy}pub.zip", "");
        assertEquals(List.of("jan19pub", "feb19pub", "jan24pub", "feb24pub"), plan.stream().map(CensusSource::id).toList());
        assertEquals(List.of("http://h/2019/basic/feb19pub.dat.gz", "http://h/2019/basic/feb19pub.zip"),
                plan.get(1).locations());
        assertEquals(OptionalInt.of(2024), plan.get(2).year());
    }

    @Test
    void starMeansEveryMonth() {
        assertEquals(12, SourcePlan.plan("2020", "*", "http://h/{mon}", "").size());
    }

    @Test
    void localFilesWinAndTakeTheirYearFromTheData() {
        List<CensusSource> plan = SourcePlan.plan("2019", "*", "http://h/{mon}", "/data/jan08pub.dat, b/feb08pub.dat.gz");
        assertEquals(List.of("jan08pub.dat", "feb08pub.dat.gz"), plan.stream().map(CensusSource::id).toList());
        assertEquals(OptionalInt.empty(), plan.get(0).year());
    }

    @Test
    void badSettingsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> SourcePlan.plan("19", "jan", "http://h", ""));
        assertThrows(IllegalArgumentException.class, () -> SourcePlan.plan("2019", "janu", "http://h", ""));
        assertThrows(IllegalArgumentException.class, () -> SourcePlan.plan("2019", "jan", " ", ""));
        assertThrows(IllegalArgumentException.class, () -> SourcePlan.plan("2019", "jan", "ftp://h/{mon}", ""));
        assertThrows(IllegalArgumentException.class, () -> SourcePlan.plan("2019", "jan", "jar:file:/x!/{mon}", ""));
        assertEquals(List.of("file:/data/2019/jan19pub.dat.gz"),
                SourcePlan.plan("2019", "jan", "file:/data/{year}/{mon}{yy}pub.dat.gz", "").get(0).locations());
    }
}
