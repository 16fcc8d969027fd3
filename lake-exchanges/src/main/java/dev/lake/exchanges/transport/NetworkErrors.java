package dev.lake.exchanges.transport;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Says in plain words why a connection or request to a host failed, the same way for REST and
 * WebSockets: {@code cannot resolve host api.binance.com}, {@code connection refused by
 * 127.0.0.1:9443}, not the exception class the JDK or Netty happened to throw.
 */
final class NetworkErrors {
  private NetworkErrors() {}

  /** Why a connection to or a request of a URL failed. */
  static String describe(Throwable error, URI uri) {
    return describe(error, uri.getHost(), port(uri));
  }

  /** Why a connection to {@code host:port} failed. */
  static String describe(Throwable error, String host, int port) {
    String address = host + ":" + port;
    if (find(error, UnresolvedAddressException.class) != null
        || find(error, UnknownHostException.class) != null) {
      return "cannot resolve host " + host;
    }
    if (find(error, HttpConnectTimeoutException.class) != null
        || find(error, io.netty.channel.ConnectTimeoutException.class) != null) {
      return "connection to " + address + " timed out";
    }
    if (find(error, HttpTimeoutException.class) != null
        || find(error, SocketTimeoutException.class) != null) {
      return "no answer from " + address + " in time";
    }
    SSLException tls = find(error, SSLException.class);
    if (tls != null) {
      return "TLS handshake with " + address + " failed: " + message(tls);
    }
    if (find(error, NoRouteToHostException.class) != null) {
      return "no route to host " + address;
    }
    ConnectException connect = find(error, ConnectException.class);
    if (connect != null) {
      // the JDK's HTTP client retries a refused connect once and loses the reason on the way;
      // a plain ConnectException is what a refusal is (timeouts and unreachable hosts differ)
      String reason = innermostMessage(connect);
      return reason == null || reason.toLowerCase(Locale.ROOT).contains("refused")
          ? "connection refused by " + address
          : "cannot connect to " + address + ": " + reason;
    }
    if (find(error, ClosedChannelException.class) != null) {
      return "connection to " + address + " closed";
    }
    return message(error);
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * The innermost message of a chain (the most specific), or the class name when no part of it has
   * one: then that is all there is to say.
   */
  private static String message(Throwable error) {
    String message = innermostMessage(error);
    if (message != null) {
      return message;
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }

  /** Null when no part of the chain says more than the name of the exception it wraps. */
  private static String innermostMessage(Throwable error) {
    String message = null;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String text = t.getMessage();
      boolean wrapperOnly = t.getCause() != null && t.getCause().toString().equals(text);
      if (text != null && !text.isBlank() && !wrapperOnly) {
        message = text;
      }
    }
    return message;
  }
}
