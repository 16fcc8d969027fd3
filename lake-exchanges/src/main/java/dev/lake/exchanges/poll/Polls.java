package dev.lake.exchanges.poll;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.model.OrderBookSnapshot;
import dev.lake.exchanges.FailureLog;
import dev.lake.exchanges.MarketLedger;
import dev.lake.exchanges.json.MessageException;
import dev.lake.exchanges.transport.RequestBudget;
import dev.lake.exchanges.transport.RestClient;
import dev.lake.exchanges.transport.RestException;
import dev.lake.exchanges.transport.RestRequest;
import dev.lake.exchanges.transport.RestResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST polls of one venue market, on a fixed-rate schedule. A poll whose previous request is
 * still out is skipped, so slow answers or a rate limit never pile requests up. A failing poll is
 * logged once when it starts failing and once when it works again; a malformed answer is a {@code
 * rejected_message} row of the poll's table; a rate limit is handled by the {@link RestClient}
 * (paused requests, a {@code rate_limited} row). Until a poll has worked once it is retried after a
 * failure with back-off ({@value #FIRST_RETRY_MILLIS} ms, doubling, at most {@value
 * #MAX_RETRY_MILLIS} ms) when that comes before its next turn: an hourly instruments poll that
 * fails at start-up would otherwise leave {@code symbols: all} empty for an hour. A venue says only
 * what to ask ({@link Poll}): the request, and how its answer becomes rows. Thread-safe.
 */
public final class Polls {
  private static final Logger LOG = LoggerFactory.getLogger(Polls.class);
  // the feed of answers to requests made for no one table (instruments, say)
  private static final String REST_FEED = "rest";

  /**
   * One poll.
   *
   * @param key names the poll in logs, unique within the market, e.g. {@code snapshot BTCUSDT}
   * @param request what to ask, with its weight and the table and symbol it collects for
   * @param parse the rows of an answer; a {@link MessageException} rejects the answer
   */
  public record Poll(
      String key, RestRequest request, Function<RestResponse, List<? extends LakeRow>> parse) {
    public Poll {
      requireNonNull(key, "key is null");
      requireNonNull(request, "request is null");
      requireNonNull(parse, "parse is null");
    }
  }

  /**
   * A poll whose answer comes in pages (Bybit {@code nextPageCursor}): the first request, then each
   * page's answer names the next request, until one names none. Its rows come from all pages
   * together, so that a list split over pages is read as one.
   *
   * @param key names the poll in logs, unique within the market
   * @param first the first page's request, with its weight, table and symbol
   * @param next the request of the page after an answer, or null after the last page
   * @param parse the rows of all pages' answers, in page order; a {@link MessageException} rejects
   *     them
   */
  public record Paged(
      String key,
      RestRequest first,
      Function<RestResponse, RestRequest> next,
      Function<List<RestResponse>, List<? extends LakeRow>> parse) {
    public Paged {
      requireNonNull(key, "key is null");
      requireNonNull(first, "first is null");
      requireNonNull(next, "next is null");
      requireNonNull(parse, "parse is null");
    }
  }

  /** More pages than any venue lists: a cursor that never ends is a malformed answer. */
  static final int MAX_PAGES = 1000;

  /** The first retry of a poll that has not worked yet; each later one waits twice as long. */
  static final long FIRST_RETRY_MILLIS = 1000;

  /** The longest wait between retries of a poll that has not worked yet. */
  static final long MAX_RETRY_MILLIS = 60_000;

  /** A scheduled poll and, until it first works, its failures. */
  private static final class Scheduled {
    final Paged poll;
    final long intervalMillis;
    boolean worked; // guarded by this
    int failures; // guarded by this

    Scheduled(Paged poll, long intervalMillis) {
      this.poll = poll;
      this.intervalMillis = intervalMillis;
    }

    /** The wait before an early retry after this failure, or -1 when the schedule comes first. */
    synchronized long retryAfterFailure() {
      if (worked) {
        return -1;
      }
      long wait = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures++, 16));
      return wait < intervalMillis ? wait : -1;
    }

    synchronized void worked() {
      worked = true;
    }
  }

  private final MarketLedger ledger;
  private final RestClient rest;
  private final ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final FailureLog failures = new FailureLog(LOG);
  private volatile boolean closed;

  public Polls(MarketLedger ledger, RestClient rest, ScheduledExecutorService scheduler) {
    this.ledger = requireNonNull(ledger, "ledger is null");
    this.rest = requireNonNull(rest, "rest is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
  }

  /** Runs a poll every {@code intervalMillis}, the first after {@code offsetMillis}. */
  public void every(long intervalMillis, long offsetMillis, Poll poll) {
    every(
        intervalMillis,
        offsetMillis,
        new Paged(
            poll.key(),
            poll.request(),
            response -> null,
            responses -> poll.parse().apply(responses.get(0))));
  }

  /** Runs a paged poll every {@code intervalMillis}, the first after {@code offsetMillis}. */
  public synchronized void every(long intervalMillis, long offsetMillis, Paged poll) {
    if (closed) {
      return;
    }
    Scheduled scheduled = new Scheduled(poll, intervalMillis);
    tasks.add(
        scheduler.scheduleAtFixedRate(
            () -> poll(scheduled), offsetMillis, intervalMillis, TimeUnit.MILLISECONDS));
  }

  /**
   * Runs polls of the same endpoint (one a symbol) every {@code intervalMillis}, spread evenly over
   * the interval; warns once when together they need more than the budget, which then spaces them.
   */
  public synchronized void staggered(long intervalMillis, List<Poll> polls) {
    if (polls.isEmpty()) {
      return;
    }
    warnWhenOverBudget(intervalMillis, polls);
    for (int i = 0; i < polls.size(); i++) {
      every(intervalMillis, intervalMillis * i / polls.size(), polls.get(i));
    }
  }

  /** Stops every poll; answers still out are dropped. */
  public synchronized void close() {
    closed = true;
    for (ScheduledFuture<?> task : tasks) {
      task.cancel(false);
    }
  }

  private void warnWhenOverBudget(long intervalMillis, List<Poll> polls) {
    RestRequest first = polls.get(0).request();
    RequestBudget budget = rest.budgetFor(first.uri());
    long windowMillis = budget.window().toMillis();
    long needed = (long) first.weight() * polls.size() * windowMillis / Math.max(1, intervalMillis);
    if (needed > budget.limit()) {
      LOG.warn(
          "{}: {} polls every {} ms need {} weight per {} ms, over lake's budget of {}; polls will"
              + " be spaced to fit{}",
          ledger.name(),
          polls.size(),
          intervalMillis,
          needed,
          windowMillis,
          budget.limit(),
          OrderBookSnapshot.TABLE.equals(first.table())
              ? " (snapshots.source: book takes them from the local book at no weight)"
              : "");
    }
  }

  private void poll(Scheduled scheduled) {
    Paged poll = scheduled.poll;
    if (closed || !inFlight.add(poll.key())) {
      return;
    }
    pages(poll, poll.first(), new ArrayList<>())
        .thenApply(responses -> poll.parse().apply(responses))
        .whenComplete(
            (rows, error) -> {
              inFlight.remove(poll.key());
              String key = ledger.name() + " " + poll.key();
              if (error == null) {
                scheduled.worked();
                failures.succeeded(key);
                ledger.outlet().emit(new ArrayList<LakeRow>(rows));
              } else {
                failed(key, poll.first(), error);
                retryEarly(scheduled);
              }
            });
  }

  /** Fetches a page and the pages after it, one at a time, each within the budget. */
  private CompletableFuture<List<RestResponse>> pages(
      Paged poll, RestRequest request, List<RestResponse> received) {
    return rest.send(request)
        .thenCompose(
            response -> {
              ledger.messages().incrementAndGet();
              // an answer is rare next to stream frames: its feed's counter is looked up here
              ledger
                  .feedMessages(request.table() == null ? REST_FEED : request.table())
                  .incrementAndGet();
              received.add(response);
              RestRequest next = poll.next().apply(response);
              if (next == null || closed) {
                return CompletableFuture.completedFuture(received);
              }
              if (received.size() >= MAX_PAGES) {
                throw new MessageException(
                    "more than " + MAX_PAGES + " pages: the page cursor never ends");
              }
              return pages(poll, next, received);
            });
  }

  private synchronized void retryEarly(Scheduled scheduled) {
    long wait = scheduled.retryAfterFailure();
    if (wait >= 0 && !closed) {
      tasks.add(scheduler.schedule(() -> poll(scheduled), wait, TimeUnit.MILLISECONDS));
    }
  }

  private void failed(String key, RestRequest request, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof MessageException) {
      ledger.rejectedAnswer(
          request.table(),
          request.symbol(),
          "response of " + request.uri() + ": " + cause.getMessage());
    } else if (!(cause instanceof RestException rest && rest.rateLimited())) {
      failures.failed(key, ledger.name() + ": " + cause.getMessage());
    }
  }
}
