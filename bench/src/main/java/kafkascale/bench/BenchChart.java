package kafkascale.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws the scaling chart (throughput vs consumers) as a PNG with the JDK alone.
 * Args: OUT.png TITLE then series as {@code name=x:y,x:y,...}; an ideal line is drawn from the first point.
 */
public final class BenchChart {

    private BenchChart() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        String out = args[0];
        String title = args[1];
        List<String> names = new ArrayList<>();
        List<double[][]> series = new ArrayList<>();
        double maxX = 1;
        double maxY = 1;
        for (int i = 2; i < args.length; i++) {
            String[] nameAndPoints = args[i].split("=", 2);
            String[] points = nameAndPoints[1].split(",");
            double[][] xy = new double[points.length][2];
            for (int p = 0; p < points.length; p++) {
                String[] v = points[p].split(":");
                xy[p][0] = Double.parseDouble(v[0]);
                xy[p][1] = Double.parseDouble(v[1]);
                maxX = Math.max(maxX, xy[p][0]);
                maxY = Math.max(maxY, xy[p][1]);
            }
            names.add(nameAndPoints[0]);
            series.add(xy);
        }
        if (!series.isEmpty()) {
            double[] first = series.get(0)[0];
            maxY = Math.max(maxY, first[1] * maxX / first[0]);
        }
        int w = 900;
        int h = 560;
        int left = 90;
        int right = 30;
        int top = 60;
        int bottom = 70;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(0x1d2433));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, left, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double yMax = niceCeiling(maxY * 1.1);
        for (int t = 0; t <= 5; t++) {
            double v = yMax * t / 5;
            int y = (int) (h - bottom - (h - top - bottom) * v / yMax);
            g.setColor(new Color(0xeef1f6));
            g.drawLine(left, y, w - right, y);
            g.setColor(new Color(0x5d6b82));
            g.drawString(String.format("%,.0f", v), 10, y + 4);
        }
        for (int x = 1; x <= maxX; x *= 2) {
            int px = (int) (left + (w - left - right) * (x / maxX));
            g.drawString(Integer.toString(x), px - 4, h - bottom + 20);
        }
        g.drawString("consumers", w / 2 - 30, h - 25);
        g.drawString("chunks/s", 10, top - 12);
        Color[] colors = {new Color(0x3b6fd8), new Color(0xe07b28), new Color(0x2e9e5b)};
        if (!series.isEmpty()) {
            double[] first = series.get(0)[0];
            g.setColor(new Color(0xaab4c5));
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6}, 0));
            g.drawLine(px(first[0], maxX, w, left, right), py(first[1], yMax, h, top, bottom),
                    px(maxX, maxX, w, left, right), py(first[1] * maxX / first[0], yMax, h, top, bottom));
            g.drawString("ideal (N x one consumer)", w - right - 180, top + 10);
        }
        for (int s = 0; s < series.size(); s++) {
            g.setColor(colors[s % colors.length]);
            g.setStroke(new BasicStroke(2.5f));
            double[][] xy = series.get(s);
            for (int p = 0; p < xy.length; p++) {
                int x = px(xy[p][0], maxX, w, left, right);
                int y = py(xy[p][1], yMax, h, top, bottom);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (p > 0) {
                    g.drawLine(px(xy[p - 1][0], maxX, w, left, right), py(xy[p - 1][1], yMax, h, top, bottom), x, y);
                }
            }
            g.drawString(names.get(s), w - right - 180, top + 30 + 18 * s);
        }
        g.dispose();
        ImageIO.write(image, "png", new File(out));
    }

    private static int px(double x, double maxX, int w, int left, int right) {
        return (int) (left + (w - left - right) * (x / maxX));
    }

    private static int py(double y, double yMax, int h, int top, int bottom) {
        return (int) (h - bottom - (h - top - bottom) * y / yMax);
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        return Math.ceil(v / magnitude) * magnitude;
    }
}
