package dev.lake.catalog;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text lake prints or logs. It is the one place that decides what a secret looks
 * like:
 *
 * <ul>
 *   <li>the user-info of a URI: {@code http://user:pass@host} becomes {@code
 *       http://user:****@host}, and a token-only {@code http://token@host} becomes {@code
 *       http://****@host};
 *   <li>the value of a secret-looking name ({@link #isSecretName}) in {@code name=value} (query
 *       strings, JDBC URLs, printed maps) and in JSON {@code "name": "value"}: {@code
 *       ?token=abc&symbol=X} becomes {@code ?token=****&symbol=X};
 *   <li>the credentials of an HTTP authorization: {@code Bearer abc} becomes {@code Bearer ****},
 *       {@code Basic dXNlcjpwYXNz} becomes {@code Basic ****}.
 * </ul>
 *
 * <p>Masking is idempotent and works on single lines; text without secrets is returned unchanged.
 * It recognises secrets by their shape, so a secret written where nothing marks it as one (a token
 * in a URL's path, say) is not found: such values must not be printed in the first place.
 */
public final class Secrets {
  /** What a secret is replaced with. */
  public static final String MASK = "****";

  private static final Pattern USER_INFO =
      // greedy up to the last @ of the authority, so an unescaped @ in a password is masked too
      Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.\\-]*://)([^\\s/?#\\[\\]\"'<>]+)@");
  // a value ends before a separator, and does not end in the punctuation of the text around it
  private static final Pattern NAME_VALUE =
      Pattern.compile(
          "(?<![A-Za-z0-9_.\\-])([A-Za-z][A-Za-z0-9_.\\-]*)="
              + "([^\\s&;,#\"'<>}\\]]*[^\\s&;,#\"'<>}\\]:.)]|[^\\s&;,#\"'<>}\\]])");
  private static final Pattern JSON_NAME_VALUE =
      Pattern.compile("\"([A-Za-z][A-Za-z0-9_.\\-]*)\"(\\s*:\\s*)\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "(\\b(?i:bearer)\\s+)[A-Za-z0-9\\-._~+/]+=*|(\\bBasic\\s+)[A-Za-z0-9+/]{8,}=*"
              + "|(\\b(?i:authorization)\\s*:\\s*)(?!(?i:bearer|basic)\\s)[^\\s,;]+");

  private Secrets() {}

  /**
   * True for names whose values must never be printed or logged: any REST catalog header ({@code
   * header.*}), and names that contain secret, password, passwd, token, credential, session,
   * signature or authorization, end in key (but not {@code access-key-id}), or are pwd, sig or
   * auth. Case does not matter.
   */
  public static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.startsWith("header.")
        || lower.contains("secret")
        || lower.contains("password")
        || lower.contains("passwd")
        || lower.contains("token")
        || lower.contains("credential")
        || lower.contains("session")
        || lower.contains("signature")
        || lower.contains("authorization")
        || lower.equals("pwd")
        || lower.equals("sig")
        || lower.equals("auth")
        || lower.endsWith("key") && !lower.endsWith("access-key-id");
  }

  /** The text with every secret it holds masked (see the class comment); null stays null. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    // the cheap checks keep the patterns off the many lines that cannot match them
    if (masked.contains("://") && masked.indexOf('@') >= 0) {
      masked = replace(USER_INFO, masked, m -> m.group(1) + maskUserInfo(m.group(2)) + "@");
    }
    masked = replace(AUTHORIZATION, masked, Secrets::maskAuthorization);
    if (masked.indexOf('=') >= 0) {
      masked =
          replace(
              NAME_VALUE,
              masked,
              m -> isSecretName(m.group(1)) ? m.group(1) + "=" + MASK : m.group());
    }
    if (masked.indexOf('"') >= 0) {
      masked =
          replace(
              JSON_NAME_VALUE,
              masked,
              m ->
                  isSecretName(m.group(1))
                      ? "\"" + m.group(1) + "\"" + m.group(2) + "\"" + MASK + "\""
                      : m.group());
    }
    return masked;
  }

  /**
   * Properties for printing, sorted by name: the values of secret names ({@link #isSecretName}) are
   * {@link #MASK}, the others are {@linkplain #mask masked} like any text.
   */
  public static Map<String, String> maskProperties(Map<String, String> properties) {
    Map<String, String> masked = new TreeMap<>();
    properties.forEach((name, value) -> masked.put(name, isSecretName(name) ? MASK : mask(value)));
    return masked;
  }

  /**
   * A writer that masks each line before passing it on to the target: a line goes on at its end
   * ({@code \n} or {@code \r}) or when the writer is flushed.
   */
  public static Writer maskingWriter(Writer target) {
    return new MaskingWriter(target);
  }

  /**
   * An output stream that masks each line of text in the charset before passing it on to the
   * target, for {@code System.err} and the logs written to it: a line goes on at its end or when
   * the stream is flushed.
   */
  public static OutputStream maskingStream(OutputStream target, Charset charset) {
    return new MaskingStream(target, charset);
  }

  private static String maskUserInfo(String userInfo) {
    int colon = userInfo.indexOf(':');
    return colon < 0 ? MASK : userInfo.substring(0, colon) + ":" + MASK;
  }

  private static String maskAuthorization(Matcher m) {
    for (int group = 1; group <= 3; group++) {
      if (m.group(group) != null) {
        return m.group(group) + MASK;
      }
    }
    return m.group();
  }

  private static String replace(
      Pattern pattern, String text, java.util.function.Function<Matcher, String> replacement) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      return text;
    }
    StringBuilder result = new StringBuilder(text.length());
    do {
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement.apply(matcher)));
    } while (matcher.find());
    matcher.appendTail(result);
    return result.toString();
  }

  private static final class MaskingWriter extends Writer {
    private final Writer target;
    private final StringBuilder line = new StringBuilder();

    MaskingWriter(Writer target) {
      super(target);
      this.target = target;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      synchronized (lock) {
        for (int i = offset; i < offset + length; i++) {
          line.append(chars[i]);
          if (chars[i] == '\n' || chars[i] == '\r') {
            emit();
          }
        }
      }
    }

    private void emit() throws IOException {
      if (line.length() > 0) {
        target.write(mask(line.toString()));
        line.setLength(0);
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (lock) {
        emit();
        target.flush();
      }
    }

    @Override
    public void close() throws IOException {
      synchronized (lock) {
        emit();
        target.close();
      }
    }
  }

  private static final class MaskingStream extends FilterOutputStream {
    private final Charset charset;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    MaskingStream(OutputStream target, Charset charset) {
      super(target);
      this.charset = charset;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      line.write(b);
      if (b == '\n' || b == '\r') {
        emit();
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
      for (int i = offset; i < offset + length; i++) {
        write(bytes[i]);
      }
    }

    private void emit() throws IOException {
      if (line.size() > 0) {
        out.write(mask(line.toString(charset)).getBytes(charset));
        line.reset();
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      emit();
      out.flush();
    }
  }
}
