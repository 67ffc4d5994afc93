package kafkascale.census;

import java.util.List;

/** HEHOUSUT (type of housing unit) codes 0..12 and the descriptions the original demo reports. */
public final class HousingCodes {

    public static final int MIN = 0;
    public static final int MAX = 12;
    public static final int COUNT = MAX - MIN + 1;

    private static final List<String> DESCRIPTIONS = List.of(
            "OTHER UNIT",
            "HOUSE, APARTMENT, FLAT",
            "HU IN NONTRANSIENT HOTEL, MOTEL, ETC.",
            "HU PERMANENT IN TRANSIENT HOTEL, MOTEL",
            "HU IN ROOMING HOUSE",
            "MOBILE HOME OR TRAILER W/NO PERM. ROOM ADDED",
            "MOBILE HOME OR TRAILER W/1 OR MORE PERM. ROOMS ADDED",
            "HU NOT SPECIFIED ABOVE",
            "QUARTERS NOT HU IN ROOMING OR BRDING HS",
            "UNIT NOT PERM. IN TRANSIENT HOTL, MOTL",
            "UNOCCUPIED TENT SITE OR TRLR SITE",
            "STUDENT QUARTERS IN COLLEGE DORM",
            "OTHER UNIT NOT SPECIFIED ABOVE");

    private HousingCodes() {
    }

    public static boolean isValid(int code) {
        return code >= MIN && code <= MAX;
    }

    public static String description(int code) {
        return DESCRIPTIONS.get(code);
    }
}
