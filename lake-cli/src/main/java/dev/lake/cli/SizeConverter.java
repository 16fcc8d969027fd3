package dev.lake.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads sizes such as {@code 134217728}, {@code 128MiB}, {@code 64MB}, {@code 1GiB}. */
public final class SizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);

  @Override
  public Long convert(String value) {
    Matcher matcher = SIZE.matcher(value.trim());
    if (!matcher.matches()) {
      throw new TypeConversionException(
          "Invalid size: "
              + value
              + " (expected bytes, or a number with KiB, MiB, GiB, KB, MB, GB)");
    }
    long number = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "b" -> 1L;
          case "k", "ki", "kib" -> 1L << 10;
          case "m", "mi", "mib" -> 1L << 20;
          case "g", "gi", "gib" -> 1L << 30;
          case "t", "ti", "tib" -> 1L << 40;
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          default -> 1_000_000_000_000L;
        };
    return number * factor;
  }
}
