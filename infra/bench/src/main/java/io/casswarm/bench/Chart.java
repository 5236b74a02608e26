package io.casswarm.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * chart.png: throughput (above) and latency p50/p99 (below) per path over the run's time, one
 * point per second; a path's line breaks between its rounds, so the interleaving shows.
 */
final class Chart {

    /** One colour per path, in both panels. */
    private static final Map<String, Color> COLOURS = Map.of(
            EdgeWorkload.PATH, new Color(0x1f77b4), RingWorker.LWT, new Color(0xff7f0e), RingWorker.PLAIN, new Color(0x2ca02c));
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 420;

    private Chart() {
    }

    static Path write(Path folder, List<RoundResult> rounds, String title) throws IOException {
        long origin = rounds.stream().mapToLong(RoundResult::startedAt).min().orElse(0);
        Map<String, List<double[]>> throughput = new LinkedHashMap<>();
        Map<String, List<double[]>> p50 = new LinkedHashMap<>();
        Map<String, List<double[]>> p99 = new LinkedHashMap<>();
        for (RoundResult round : rounds) {
            double offset = (round.startedAt() - origin) / 1000.0;
            double previous = 0;
            for (RoundResult.TimePoint point : round.timeline()) {
                double dt = point.t() - previous;
                previous = point.t();
                if (dt < 0.2) {
                    continue; // the last cut right after the previous one: too short to be a rate
                }
                double t = offset + point.t();
                throughput.computeIfAbsent(round.path(), p -> new ArrayList<>()).add(new double[] {t, point.ops() / dt});
                if (point.ops() > 0) {
                    p50.computeIfAbsent(round.path(), p -> new ArrayList<>()).add(new double[] {t, point.p50Ms()});
                    p99.computeIfAbsent(round.path(), p -> new ArrayList<>()).add(new double[] {t, point.p99Ms()});
                }
            }
            // a gap after each round: the line does not join rounds across other paths' rounds
            for (Map<String, List<double[]>> series : List.of(throughput, p50, p99)) {
                series.computeIfAbsent(round.path(), p -> new ArrayList<>()).add(new double[] {offset + round.seconds(), Double.NaN});
            }
        }
        XYChart top = chart(title + ": throughput (the first round of each path is the warm-up)", "ops/s");
        throughput.forEach((path, points) -> add(top, path, path, points));
        XYChart bottom = chart("latency p99 (solid) and p50 (dotted)", "ms");
        p99.forEach((path, points) -> add(bottom, path, path + " p99", points));
        p50.forEach((path, points) -> add(bottom, path, path + " p50", points)
                .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DOT_DOT));
        BufferedImage image = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.drawImage(BitmapEncoder.getBufferedImage(top), 0, 0, null);
        graphics.drawImage(BitmapEncoder.getBufferedImage(bottom), 0, HEIGHT, null);
        graphics.dispose();
        Files.createDirectories(folder);
        Path file = folder.resolve("chart.png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static XYChart chart(String title, String unit) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("seconds since the run's start").yAxisTitle(unit).build();
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    private static XYSeries add(XYChart chart, String path, String name, List<double[]> points) {
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.CIRCLE);
        Color colour = COLOURS.getOrDefault(path, Color.GRAY);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        return series;
    }
}
