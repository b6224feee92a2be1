package dev.tessera.sim.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart rendered as inline SVG (no scripts, no external references), for {@code
 * report.html}. Axes get "nice" ticks (1, 2 or 5 × 10^k); series are drawn as polylines in the
 * order added, with a legend below the plot.
 */
final class SvgChart {
  static final int WIDTH = 720;
  static final int HEIGHT = 360;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 36;
  private static final int PLOT_BOTTOM = 56;

  /** One line: colour and dash pattern (SVG {@code stroke-dasharray}, "" for solid). */
  record Series(String name, String color, String dash, double[] x, double[] y) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private String emptyNote = "no data";

  SvgChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  SvgChart add(Series s) {
    series.add(s);
    return this;
  }

  /** Text shown inside the plot when there is nothing to draw. */
  SvgChart emptyNote(String note) {
    this.emptyNote = note;
    return this;
  }

  String render() {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = 0;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
          xMin = Math.min(xMin, s.x()[i]);
          xMax = Math.max(xMax, s.x()[i]);
          yMin = Math.min(yMin, s.y()[i]);
          yMax = Math.max(yMax, s.y()[i]);
        }
      }
    }
    boolean empty = !(xMax >= xMin);
    if (empty) {
      xMin = 0;
      xMax = 1;
      yMax = 1;
    }
    if (xMax == xMin) {
      xMax = xMin + 1;
    }
    if (yMax <= yMin) {
      yMax = yMin + 1;
    }
    double[] xt = empty ? new double[] {0, 1} : ticks(xMin, xMax, 8);
    double[] yt = empty ? new double[] {0, 1} : ticks(yMin, yMax, 5);
    xMin = Math.min(xMin, xt[0]);
    xMax = Math.max(xMax, xt[xt.length - 1]);
    yMin = Math.min(yMin, yt[0]);
    yMax = Math.max(yMax, yt[yt.length - 1]);
    int legendRows = (series.size() + 2) / 3;
    int height = HEIGHT + 18 * legendRows;
    double pw = WIDTH - LEFT - RIGHT;
    double ph = HEIGHT - TOP - PLOT_BOTTOM;
    StringBuilder b = new StringBuilder(8192);
    b.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\"><title>")
        .append(Html.escape(title))
        .append("</title>\n");
    b.append("<text x=\"")
        .append(LEFT)
        .append("\" y=\"20\" class=\"ct\">")
        .append(Html.escape(title))
        .append("</text>\n");
    // grid and tick labels (none for an empty chart: made-up axes would mislead)
    for (double t : empty ? new double[0] : yt) {
      double y = TOP + ph - (t - yMin) / (yMax - yMin) * ph;
      b.append(line(LEFT, y, LEFT + pw, y, "grid"));
      b.append(text(LEFT - 6, y + 4, fmt(t), "end"));
    }
    for (double t : empty ? new double[0] : xt) {
      double x = LEFT + (t - xMin) / (xMax - xMin) * pw;
      b.append(line(x, TOP, x, TOP + ph, "grid"));
      b.append(text(x, TOP + ph + 16, fmt(t), "middle"));
    }
    b.append("<rect x=\"")
        .append(LEFT)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(n(pw))
        .append("\" height=\"")
        .append(n(ph))
        .append("\" class=\"frame\"/>\n");
    b.append(text(LEFT + pw / 2, TOP + ph + 36, xLabel, "middle"));
    b.append("<text class=\"al\" text-anchor=\"middle\" transform=\"translate(16 ")
        .append(n(TOP + ph / 2))
        .append(") rotate(-90)\">")
        .append(Html.escape(yLabel))
        .append("</text>\n");
    if (empty) {
      b.append(text(LEFT + pw / 2, TOP + ph / 2, emptyNote, "middle"));
    }
    for (Series s : series) {
      StringBuilder pts = new StringBuilder(s.x().length * 14);
      for (int i = 0; i < s.x().length; i++) {
        if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
          continue;
        }
        double x = LEFT + (s.x()[i] - xMin) / (xMax - xMin) * pw;
        double y = TOP + ph - (s.y()[i] - yMin) / (yMax - yMin) * ph;
        pts.append(n(x)).append(',').append(n(y)).append(' ');
      }
      b.append("<polyline fill=\"none\" stroke-width=\"1.6\" stroke=\"")
          .append(s.color())
          .append('"');
      if (!s.dash().isEmpty()) {
        b.append(" stroke-dasharray=\"").append(s.dash()).append('"');
      }
      b.append(" points=\"").append(pts.toString().strip()).append("\"><title>");
      b.append(Html.escape(s.name())).append("</title></polyline>\n");
    }
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      double x = LEFT + (i % 3) * (pw / 3);
      double y = HEIGHT - 8 + 18 * (i / 3);
      b.append("<line x1=\"")
          .append(n(x))
          .append("\" y1=\"")
          .append(n(y - 4))
          .append("\" x2=\"")
          .append(n(x + 24))
          .append("\" y2=\"")
          .append(n(y - 4))
          .append("\" stroke-width=\"2.5\" stroke=\"")
          .append(s.color())
          .append('"');
      if (!s.dash().isEmpty()) {
        b.append(" stroke-dasharray=\"").append(s.dash()).append('"');
      }
      b.append("/>");
      b.append(text(x + 30, y, s.name(), "start"));
    }
    b.append("</svg>\n");
    return b.toString();
  }

  /** About {@code target} ticks at 1, 2 or 5 × 10^k covering [lo, hi]. */
  static double[] ticks(double lo, double hi, int target) {
    double raw = (hi - lo) / target;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    double first = Math.floor(lo / step) * step;
    double last = Math.ceil(hi / step) * step;
    int count = (int) Math.round((last - first) / step) + 1;
    double[] t = new double[count];
    for (int i = 0; i < count; i++) {
      t[i] = first + i * step;
    }
    return t;
  }

  private static String line(double x1, double y1, double x2, double y2, String cls) {
    return "<line class=\""
        + cls
        + "\" x1=\""
        + n(x1)
        + "\" y1=\""
        + n(y1)
        + "\" x2=\""
        + n(x2)
        + "\" y2=\""
        + n(y2)
        + "\"/>\n";
  }

  private static String text(double x, double y, String s, String anchor) {
    return "<text x=\""
        + n(x)
        + "\" y=\""
        + n(y)
        + "\" text-anchor=\""
        + anchor
        + "\">"
        + Html.escape(s)
        + "</text>\n";
  }

  private static String n(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String fmt(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
    }
    return String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
  }
}
