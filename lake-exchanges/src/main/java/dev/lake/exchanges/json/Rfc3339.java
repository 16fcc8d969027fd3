package dev.lake.exchanges.json;

/**
 * UTC times in RFC 3339 form, {@code 2023-02-09T20:32:50.714964855Z} (Coinbase, Kraken), read to
 * epoch microseconds without allocating. A fraction has 1 to 9 digits; those past the microsecond
 * are dropped.
 */
public final class Rfc3339 {
  private Rfc3339() {}

  /**
   * Epoch microseconds of a time in a JSON field.
   *
   * @throws MessageException naming the field and the text when it is not such a time
   */
  public static long micros(char[] chars, int offset, int length, String field) {
    long micros = micros(chars, offset, length);
    if (micros < 0) {
      throw new MessageException(
          field
              + " is not an RFC 3339 UTC time: \""
              + new String(chars, offset, length)
              + "\" (expected e.g. 2023-02-09T20:32:50.714964Z)");
    }
    return micros;
  }

  /**
   * {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z} in epoch microseconds (digits past the sixth of the
   * fraction are dropped), or -1 when the text is not in that form.
   */
  public static long micros(char[] text, int offset, int length) {
    int end = offset + length;
    if (length < 20
        || text[offset + 4] != '-'
        || text[offset + 7] != '-'
        || text[offset + 10] != 'T'
        || text[offset + 13] != ':'
        || text[offset + 16] != ':'
        || text[end - 1] != 'Z') {
      return -1;
    }
    int year = digits(text, offset, 4);
    int month = digits(text, offset + 5, 2);
    int day = digits(text, offset + 8, 2);
    int hour = digits(text, offset + 11, 2);
    int minute = digits(text, offset + 14, 2);
    int second = digits(text, offset + 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 31
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 60) {
      return -1;
    }
    int i = offset + 19;
    long fraction = 0;
    int places = 0;
    if (text[i] == '.') {
      i++;
      while (i < end - 1) {
        char c = text[i++];
        if (c < '0' || c > '9') {
          return -1;
        }
        if (places < 6) {
          fraction = fraction * 10 + (c - '0');
          places++;
        }
      }
      if (places == 0) {
        return -1;
      }
    } else if (i != end - 1) {
      return -1;
    }
    for (; places < 6; places++) {
      fraction *= 10;
    }
    long days = daysFromCivil(year, month, day);
    return ((days * 86_400 + hour * 3_600L + minute * 60L + second) * 1_000_000L) + fraction;
  }

  private static int digits(char[] text, int offset, int count) {
    int value = 0;
    for (int i = offset; i < offset + count; i++) {
      char c = text[i];
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
  private static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468;
  }
}
