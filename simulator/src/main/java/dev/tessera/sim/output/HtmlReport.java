package dev.tessera.sim.output;

import dev.tessera.sim.replay.FgdMetrics;
import dev.tessera.sim.run.PodClass;
import dev.tessera.sim.run.PolicyRun;
import dev.tessera.sim.run.SimEvent;
import dev.tessera.sim.run.SimulationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, no network)
 * with the policy comparison table and the four charts of issue 5.
 */
final class HtmlReport {
  /** Points per chart line; more adds bytes, not visible detail, at 720 px. */
  static final int MAX_POINTS = 800;

  static final String[] POLICY_COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"
  };
  static final String[] CLASS_COLORS = {
    "#7f7f7f", "#17becf", "#1f77b4", "#2ca02c", "#ff7f0e", "#d62728", "#9467bd"
  };
  static final String[] DASHES = {"", "6 3", "2 3", "8 3 2 3", "12 4"};

  private static final String CSS =
      """
      body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;\
      max-width:1000px;color:#222;padding:0 16px}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
      .meta{color:#555;margin:0 0 12px}
      table{border-collapse:collapse;margin:8px 0 4px;font-variant-numeric:tabular-nums}
      th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
      th:first-child,td:first-child{text-align:left}
      thead th{background:#f4f4f4}
      tr.baseline td{background:#fbfbe8}
      .pos{color:#17722b}.neg{color:#a11}
      .note{color:#555;font-size:13px;max-width:860px}
      svg.chart{display:block;margin:8px 0 20px;max-width:100%;height:auto}
      svg .grid{stroke:#e6e6e6;stroke-width:1}
      svg .frame{fill:none;stroke:#999}
      svg text{font:12px system-ui,sans-serif;fill:#333}
      svg .ct{font-size:14px;font-weight:600}
      svg .al{font-size:12px}
      """;

  private HtmlReport() {}

  static String render(SimulationResult result, List<RunSummary> summaries, int baselineIndex) {
    RunSummary base = summaries.get(baselineIndex);
    boolean timed = summaries.stream().anyMatch(s -> s.waits() != null);
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Tessera simulation: ")
        .append(Html.escape(result.trace()))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style></head><body>\n");
    b.append("<h1>Tessera simulation report</h1>\n<p class=\"meta\">trace <code>")
        .append(Html.escape(result.trace()))
        .append("</code> · mode <code>")
        .append(Html.escape(result.mode()))
        .append("</code> · ")
        .append(summaries.get(0).totalGpus())
        .append(" GPUs · ")
        .append(summaries.size())
        .append(summaries.size() == 1 ? " policy" : " policies");
    if (result.skippedRows() > 0) {
      b.append(" · ").append(result.skippedRows()).append(" bad trace rows skipped");
    }
    b.append("</p>\n");

    b.append("<h2>Policies side by side</h2>\n<table id=\"policies\"><thead><tr>")
        .append("<th>policy</th><th>placed</th><th>dropped</th><th>pending at end</th>")
        .append("<th>allocated % (end)</th><th>fragmentation % of capacity (end)</th>")
        .append("<th>fragmentation % of idle (end)</th><th>fully idle GPUs (end)</th>")
        .append("<th>GPUs saved vs ")
        .append(Html.escape(base.policy()))
        .append("</th>");
    if (timed) {
      b.append("<th>mean wait s</th><th>p50 wait s</th><th>p99 wait s</th>");
    }
    b.append("<th>wall ms</th></tr></thead><tbody>\n");
    for (int i = 0; i < summaries.size(); i++) {
      RunSummary s = summaries.get(i);
      double saved = s.gpusSavedVs(base);
      b.append("<tr data-policy=\"")
          .append(Html.escape(s.policy()))
          .append('"')
          .append(i == baselineIndex ? " class=\"baseline\"" : "")
          .append("><td>")
          .append(Html.escape(s.policy()))
          .append("</td>")
          .append(td(s.placedTotal()))
          .append(td(s.droppedTotal()))
          .append(td(s.pendingTotal()))
          .append(td(s.finalAllocPct(), 2))
          .append(td(s.finalFragPct(), 2))
          .append(td(s.finalFragRatioPct(), 2))
          .append(td(s.finalFullyIdleGpus()));
      if (i == baselineIndex) {
        b.append("<td>baseline</td>");
      } else {
        b.append("<td class=\"")
            .append(saved > 0 ? "pos" : saved < 0 ? "neg" : "")
            .append("\">")
            .append(saved > 0 ? "+" : "")
            .append(num(saved, 1))
            .append("</td>");
      }
      if (timed) {
        RunSummary.Waits w = s.waits();
        b.append(td(w == null ? 0 : w.mean(), 1))
            .append(td(w == null ? 0 : w.p50(), 1))
            .append(td(w == null ? 0 : w.p99(), 1));
      }
      b.append(td(s.wallMillis())).append("</tr>\n");
    }
    b.append("</tbody></table>\n<p class=\"note\">GPUs saved vs ")
        .append(Html.escape(base.policy()))
        .append(": GPU capacity (in whole GPUs) the policy has allocated at the end beyond the")
        .append(" baseline on the same cluster and arrivals — GPUs the baseline leaves")
        .append(" unallocated that this policy puts to work. Fragmentation follows the FGD paper:")
        .append(" idle GPU capacity that the typical pods of the trace cannot use.</p>\n");

    checkpointTable(b, summaries, FgdMetrics.ALLOC, "Allocated % of GPU capacity at arrived X %");
    checkpointTable(
        b, summaries, FgdMetrics.FRAG_AMOUNT, "Fragmentation % of GPU capacity at arrived X %");
    classTable(b, summaries);

    List<PolicyRun> runs = result.runs();
    b.append("<h2>Charts</h2>\n");
    b.append(
        vsArrived(
            runs,
            "Allocation vs arrived demand",
            "allocated, % of GPU capacity",
            (e, cap) -> 100.0 * e.allocatedMilli() / cap));
    b.append(
        vsArrived(
            runs,
            "Fragmentation (FGD) vs arrived demand",
            "fragmentation, % of GPU capacity",
            (e, cap) -> 100.0 * e.fragMilli() / cap));
    b.append(
        vsArrived(
            runs,
            "Unallocated (fully idle) GPUs vs arrived demand",
            "fully idle GPUs",
            (e, cap) -> e.fullyIdleGpus()));
    b.append(pending(runs, result.mode()));
    b.append("</body></html>\n");
    return b.toString();
  }

  private interface Metric {
    double of(SimEvent e, double capacityMilli);
  }

  private static String vsArrived(List<PolicyRun> runs, String title, String yLabel, Metric m) {
    SvgChart c = new SvgChart(title, "arrived GPU demand, % of GPU capacity", yLabel);
    for (int i = 0; i < runs.size(); i++) {
      PolicyRun r = runs.get(i);
      double cap = r.capacityMilli();
      c.add(
          series(
              r.policy(),
              POLICY_COLORS[i % POLICY_COLORS.length],
              DASHES[(i / POLICY_COLORS.length) % DASHES.length],
              r.events(),
              e -> cap == 0 ? Double.NaN : 100.0 * e.arrivedMilli() / cap,
              e -> m.of(e, cap),
              false));
    }
    return c.render();
  }

  private static String pending(List<PolicyRun> runs, String mode) {
    String x = mode.equals("arrivals") ? "arrival number" : "trace time, s";
    SvgChart c = new SvgChart("Pending pods by class over time", x, "pods waiting");
    c.emptyNote(
        mode.equals("arrivals")
            ? "no pod waits: arrivals mode drops pods that do not fit"
            : "no pod had to wait");
    for (int i = 0; i < runs.size(); i++) {
      PolicyRun r = runs.get(i);
      for (PodClass pc : PodClass.values()) {
        int k = pc.ordinal();
        boolean any = r.events().stream().anyMatch(e -> pendingOf(e, k) > 0);
        if (any) {
          c.add(
              series(
                  r.policy() + " · " + pc.label(),
                  CLASS_COLORS[k % CLASS_COLORS.length],
                  DASHES[i % DASHES.length],
                  r.events(),
                  SimEvent::time,
                  e -> pendingOf(e, k),
                  true));
        }
      }
    }
    return c.render();
  }

  private static int pendingOf(SimEvent e, int k) {
    int[] p = e.pendingByClass();
    return k < p.length ? p[k] : 0;
  }

  /**
   * A series of at most {@link #MAX_POINTS} points: every stride-th event plus the last; with
   * {@code peaks} each kept point carries the largest y of its stride so spikes stay visible.
   */
  static SvgChart.Series series(
      String name,
      String color,
      String dash,
      List<SimEvent> events,
      ToDoubleFunction<SimEvent> fx,
      ToDoubleFunction<SimEvent> fy,
      boolean peaks) {
    int n = events.size();
    int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
    List<double[]> pts = new ArrayList<>(Math.min(n, MAX_POINTS) + 1);
    for (int i = 0; i < n; i += stride) {
      int end = Math.min(n, i + stride);
      double y = fy.applyAsDouble(events.get(i));
      if (peaks) {
        for (int j = i + 1; j < end; j++) {
          y = Math.max(y, fy.applyAsDouble(events.get(j)));
        }
      }
      pts.add(new double[] {fx.applyAsDouble(events.get(i)), y});
    }
    if (n > 0 && (n - 1) % stride != 0) {
      SimEvent last = events.get(n - 1);
      pts.add(new double[] {fx.applyAsDouble(last), fy.applyAsDouble(last)});
    }
    double[] xs = new double[pts.size()];
    double[] ys = new double[pts.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = pts.get(i)[0];
      ys[i] = pts.get(i)[1];
    }
    return new SvgChart.Series(name, color, dash, xs, ys);
  }

  private static void checkpointTable(
      StringBuilder b, List<RunSummary> summaries, String metric, String title) {
    b.append("<h2>")
        .append(Html.escape(title))
        .append("</h2>\n<table class=\"checkpoints\">")
        .append("<thead><tr><th>policy</th>");
    for (int x : RunSummary.REPORT_CHECKPOINTS) {
      b.append("<th>").append(x).append(" %</th>");
    }
    b.append("</tr></thead><tbody>\n");
    for (RunSummary s : summaries) {
      b.append("<tr><td>").append(Html.escape(s.policy())).append("</td>");
      var values = s.checkpoints().get(metric);
      for (int x : RunSummary.REPORT_CHECKPOINTS) {
        Double v = values == null ? null : values.get(x);
        b.append(v == null ? "<td>–</td>" : td(v, 2));
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table>\n");
  }

  private static void classTable(StringBuilder b, List<RunSummary> summaries) {
    b.append("<h2>Pods by class: placed / dropped / pending at end</h2>\n")
        .append("<table class=\"classes\"><thead><tr><th>policy</th>");
    for (PodClass c : PodClass.values()) {
      b.append("<th>").append(c.label()).append("</th>");
    }
    b.append("</tr></thead><tbody>\n");
    for (RunSummary s : summaries) {
      b.append("<tr><td>").append(Html.escape(s.policy())).append("</td>");
      for (PodClass c : PodClass.values()) {
        b.append("<td>")
            .append(s.placed().get(c))
            .append(" / ")
            .append(s.dropped().get(c))
            .append(" / ")
            .append(s.pendingAtEnd().get(c))
            .append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table>\n");
  }

  private static String td(long v) {
    return "<td>" + String.format(Locale.ROOT, "%,d", v) + "</td>";
  }

  private static String td(double v, int digits) {
    return "<td>" + num(v, digits) + "</td>";
  }

  private static String num(double v, int digits) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,." + digits + "f", v) : "–";
  }
}
