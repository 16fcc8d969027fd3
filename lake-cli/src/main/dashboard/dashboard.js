// The lake ingest dashboard: reads the Prometheus text of /metrics every few seconds, keeps up to
// an hour of readings in the page, and shows them. Nothing is fetched from anywhere else.
(function () {
  "use strict";

  var REFRESH_MS = 2000;
  var HOUR_S = 3600;
  var history = []; // {t: seconds, metrics: parsed /metrics}
  var charts = {};
  var lastTableTimes = {}; // table -> {commit: s, delay: s}, the last known means
  var refreshes = 0;

  var LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
  var LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

  function parse(text) {
    var samples = [];
    text.split("\n").forEach(function (line) {
      if (line === "" || line.charAt(0) === "#") {
        return;
      }
      var match = LINE.exec(line);
      if (!match) {
        return;
      }
      var labels = {};
      var label;
      LABEL.lastIndex = 0;
      while ((label = LABEL.exec(match[2] || "")) !== null) {
        labels[label[1]] = label[2].replace(/\\"/g, '"').replace(/\\n/g, "\n").replace(/\\\\/g, "\\");
      }
      if (match[1].indexOf("lake_") !== 0) {
        return;
      }
      samples.push({ name: match[1], labels: labels, value: parseFloat(match[3]) });
    });
    return samples;
  }

  function sum(metrics, name, where) {
    var total = 0;
    var found = false;
    metrics.forEach(function (s) {
      if (s.name === name && (!where || where(s.labels))) {
        total += s.value;
        found = true;
      }
    });
    return found ? total : null;
  }

  function forMarket(key) {
    return function (labels) {
      return labels.exchange + " " + labels.market === key;
    };
  }

  function forTable(table) {
    return function (labels) {
      return labels.table === table;
    };
  }

  function distinct(metrics, name, key) {
    var seen = [];
    metrics.forEach(function (s) {
      if (s.name === name) {
        var value = key(s.labels);
        if (seen.indexOf(value) < 0) {
          seen.push(value);
        }
      }
    });
    return seen.sort();
  }

  function rate(name, where) {
    if (history.length < 2) {
      return null;
    }
    var now = history[history.length - 1];
    var before = history[history.length - 2];
    var a = sum(before.metrics, name, where);
    var b = sum(now.metrics, name, where);
    if (a === null || b === null || now.t <= before.t) {
      return null;
    }
    return Math.max(0, (b - a) / (now.t - before.t));
  }

  function lastHour(name, where) {
    var now = history[history.length - 1];
    var oldest = history[0];
    for (var i = 0; i < history.length; i++) {
      if (history[i].t >= now.t - HOUR_S) {
        oldest = history[i];
        break;
      }
    }
    var a = sum(oldest.metrics, name, where) || 0;
    var b = sum(now.metrics, name, where) || 0;
    return Math.max(0, b - a);
  }

  function meanSince(previous, current, name, where) {
    var dc = (sum(current, name + "_count", where) || 0) - (sum(previous, name + "_count", where) || 0);
    if (dc <= 0) {
      return null;
    }
    return ((sum(current, name + "_sum", where) || 0) - (sum(previous, name + "_sum", where) || 0)) / dc;
  }

  function number(value, digits) {
    if (value === null || value === undefined || isNaN(value)) {
      return "\u2013";
    }
    return value.toLocaleString("en-US", { maximumFractionDigits: digits || 0 });
  }

  function mib(bytes) {
    return bytes === null ? "\u2013" : number(bytes / 1048576, 1) + " MiB";
  }

  function seconds(value) {
    return value === null || value === undefined ? "\u2013" : number(value, value < 10 ? 2 : 0) + " s";
  }

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function cell(row, text, bad) {
    var td = document.createElement("td");
    td.textContent = text;
    if (bad) {
      td.className = "bad";
    }
    row.appendChild(td);
  }

  function renderMarkets(metrics) {
    var body = document.querySelector("#markets tbody");
    var markets = distinct(metrics, "lake_messages_received_total", function (l) {
      return l.exchange + " " + l.market;
    });
    body.textContent = "";
    markets.forEach(function (key) {
      var where = forMarket(key);
      var parts = key.split(" ");
      var inSync = sum(metrics, "lake_books", function (l) {
        return where(l) && l.state === "in_sync";
      });
      var outOfSync = sum(metrics, "lake_books", function (l) {
        return where(l) && l.state === "out_of_sync";
      });
      var row = document.createElement("tr");
      row.setAttribute("data-market", key);
      cell(row, parts[0]);
      cell(row, parts[1]);
      cell(row, number(sum(metrics, "lake_connections_open", where)), sum(metrics, "lake_connections_open", where) === 0);
      cell(row, number(inSync) + " / " + number((inSync || 0) + (outOfSync || 0)), outOfSync > 0);
      cell(row, number(rate("lake_messages_received_total", where), 1));
      cell(row, number(rate("lake_rows_received_total", where), 1));
      var gaps = lastHour("lake_gaps_total", where);
      cell(row, number(gaps), gaps > 0);
      cell(row, number(lastHour("lake_resyncs_total", where)));
      cell(row, number(sum(metrics, "lake_gaps_total", where)));
      cell(row, number(sum(metrics, "lake_rejected_messages_total", where)));
      cell(row, number(sum(metrics, "lake_reconnects_total", where)));
      body.appendChild(row);
    });
    return markets;
  }

  function renderTables(metrics, previous, nowSeconds) {
    var body = document.querySelector("#tables tbody");
    var tables = distinct(metrics, "lake_rows_committed_total", function (l) {
      return l.table;
    });
    body.textContent = "";
    tables.forEach(function (table) {
      var where = forTable(table);
      var known = lastTableTimes[table] || {};
      if (previous) {
        var commit = meanSince(previous, metrics, "lake_commit_duration_seconds", where);
        var delay = meanSince(previous, metrics, "lake_receive_to_commit_delay_seconds", where);
        known.commit = commit === null ? known.commit : commit;
        known.delay = delay === null ? known.delay : delay;
        lastTableTimes[table] = known;
      }
      var last = sum(metrics, "lake_last_commit_timestamp_seconds", where);
      var row = document.createElement("tr");
      row.setAttribute("data-table", table);
      cell(row, table);
      cell(row, number(sum(metrics, "lake_rows_committed_total", where)));
      cell(row, last === null ? "none yet" : number(Math.max(0, nowSeconds - last)) + " s ago");
      cell(row, seconds(known.commit));
      cell(row, seconds(known.delay));
      var failed = sum(metrics, "lake_commit_failures_total", where) || 0;
      cell(row, number(failed), failed > 0);
      body.appendChild(row);
    });
  }

  function chart(id, names, scale) {
    if (charts[id]) {
      return charts[id];
    }
    var palette = ["#0969da", "#1a7f37", "#bf3989", "#9a6700", "#8250df", "#cf222e", "#0a7d8c", "#6e7781"];
    var series = [{}];
    names.forEach(function (name, i) {
      series.push({ label: name, stroke: palette[i % palette.length], width: 1.5, spanGaps: false });
    });
    charts[id] = {
      plot: new uPlot(
        { width: 420, height: 180, series: series, scales: { x: { time: true } }, axes: [{}, { size: 50 }], legend: { show: names.length > 1 } },
        [[]].concat(names.map(function () { return []; })),
        document.getElementById(id)
      ),
      names: names,
      data: [[]].concat(names.map(function () { return []; }))
    };
    return charts[id];
  }

  function push(id, names, t, values) {
    var c = chart(id, names);
    c.data[0].push(t);
    c.names.forEach(function (name, i) {
      c.data[i + 1].push(values[i] === undefined ? null : values[i]);
    });
    while (c.data[0].length > 1 && c.data[0][0] < t - HOUR_S) {
      c.data.forEach(function (column) {
        column.shift();
      });
    }
    c.plot.setData(c.data);
  }

  function render() {
    var current = history[history.length - 1];
    var previous = history.length > 1 ? history[history.length - 2].metrics : null;
    var metrics = current.metrics;
    var markets = renderMarkets(metrics);
    renderTables(metrics, previous, current.t);

    var inSync = sum(metrics, "lake_books", function (l) { return l.state === "in_sync"; }) || 0;
    var outOfSync = sum(metrics, "lake_books", function (l) { return l.state === "out_of_sync"; }) || 0;
    var connections = sum(metrics, "lake_connections_open") || 0;
    var delay = previous ? meanSince(previous, metrics, "lake_receive_to_commit_delay_seconds") : null;
    setText("connections", number(connections));
    setText("books", number(inSync) + " / " + number(inSync + outOfSync));
    setText("messages", number(rate("lake_messages_received_total"), 1));
    setText("wal", mib(sum(metrics, "lake_wal_bytes")) + " \u00b7 " + number(sum(metrics, "lake_wal_segments")) + " seg");
    setText("buffered", mib(sum(metrics, "lake_buffered_bytes")));
    if (delay !== null) {
      setText("delay", seconds(delay));
    }

    var status = document.getElementById("status");
    if (outOfSync > 0) {
      status.textContent = outOfSync + " book" + (outOfSync > 1 ? "s" : "") + " out of sync";
      status.className = "status warn";
    } else if (connections === 0) {
      status.textContent = "no connection open";
      status.className = "status warn";
    } else {
      status.textContent = "all books in sync";
      status.className = "status ok";
    }
    refreshes++;
    setText("updated", "updated " + new Date(current.t * 1000).toLocaleTimeString() + " (" + refreshes + ")");

    if (history.length > 1) {
      push("chart-messages", markets, current.t, markets.map(function (key) {
        return rate("lake_messages_received_total", forMarket(key));
      }));
      push("chart-delay", ["delay"], current.t, [delay]);
    }
    var wal = sum(metrics, "lake_wal_bytes");
    push("chart-wal", ["wal"], current.t, [wal === null ? null : wal / 1048576]);
  }

  function refresh() {
    fetch("metrics", { cache: "no-store" })
      .then(
        function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.text().then(function (text) {
            history.push({ t: Date.now() / 1000, metrics: parse(text) });
            while (history.length > 2 && history[0].t < history[history.length - 1].t - HOUR_S) {
              history.shift();
            }
            render();
          });
        },
        function () {
          var status = document.getElementById("status");
          status.textContent = "lake ingest is not answering";
          status.className = "status down";
        }
      )
      .catch(function (error) {
        // a bug of this page, not an outage: say so where it can be seen (and tested)
        console.error("lake dashboard: " + (error && error.stack ? error.stack : error));
      })
      .then(function () {
        setTimeout(refresh, REFRESH_MS);
      });
  }

  refresh();
})();
