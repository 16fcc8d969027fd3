package dev.lake.exchanges.coinbase;

import dev.lake.exchanges.json.MessageException;

/**
 * Coinbase's UTC times, {@code 2023-02-09T20:32:50.714964855Z} (0 to 9 fraction digits, {@code Z}),
 * read to epoch microseconds without allocating.
 */
final class Rfc3339 {
  private Rfc3339() {}

  /** Epoch microseconds of a UTC time; digits past the microsecond are dropped. */
  static long micros(char[] chars, int offset, int length, String field) {
    int end = offset + length;
    if (length < 20
        || chars[offset + 4] != '-'
        || chars[offset + 7] != '-'
        || chars[offset + 10] != 'T'
        || chars[offset + 13] != ':'
        || chars[offset + 16] != ':'
        || chars[end - 1] != 'Z') {
      throw invalid(chars, offset, length, field);
    }
    int year = digits(chars, offset, 4, field, length);
    int month = digits(chars, offset + 5, 2, field, length);
    int day = digits(chars, offset + 8, 2, field, length);
    int hour = digits(chars, offset + 11, 2, field, length);
    int minute = digits(chars, offset + 14, 2, field, length);
    int second = digits(chars, offset + 17, 2, field, length);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
      throw invalid(chars, offset, length, field);
    }
    long fraction = 0;
    int i = offset + 19;
    if (i < end - 1) {
      if (chars[i] != '.') {
        throw invalid(chars, offset, length, field);
      }
      int scale = 0;
      for (i++; i < end - 1; i++) {
        char c = chars[i];
        if (c < '0' || c > '9') {
          throw invalid(chars, offset, length, field);
        }
        if (scale < 6) {
          fraction = fraction * 10 + (c - '0');
          scale++;
        }
      }
      for (; scale < 6; scale++) {
        fraction *= 10;
      }
    }
    long days = daysFromCivil(year, month, day);
    return ((days * 24 + hour) * 60 + minute) * 60_000_000L + second * 1_000_000L + fraction;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
  private static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097L + dayOfEra - 719468;
  }

  private static int digits(char[] chars, int at, int count, String field, int length) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = chars[i];
      if (c < '0' || c > '9') {
        throw new MessageException(
            field + " is not an RFC 3339 UTC time: \"" + new String(chars, at, count) + "\"");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static MessageException invalid(char[] chars, int offset, int length, String field) {
    return new MessageException(
        field
            + " is not an RFC 3339 UTC time: \""
            + new String(chars, offset, length)
            + "\" (expected e.g. 2023-02-09T20:32:50.714964Z)");
  }
}
