package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.TaskFarmProgress;
import io.conpaas.api.v1alpha1.TaskFarmSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text pictures of a TaskFarm (manual 2.8: "schedules are presented in a graph"): the offered
 * schedules as points on a cost (up) / makespan (right) chart, numbered as in the table below it,
 * and a progress bar. Pure.
 */
final class ScheduleChart {
  static final int WIDTH = 48;
  static final int HEIGHT = 10;

  private ScheduleChart() {}

  /** The chart and the numbered table of the schedules. */
  static List<String> render(List<TaskFarmSchedule> schedules) {
    List<String> lines = new ArrayList<>();
    if (schedules.isEmpty()) {
      lines.add("no schedules yet");
      return lines;
    }
    double maxCost = schedules.stream().mapToDouble(TaskFarmSchedule::getCost).max().orElse(1);
    double minCost = schedules.stream().mapToDouble(TaskFarmSchedule::getCost).min().orElse(0);
    double maxTime = schedules.stream().mapToDouble(TaskFarmSchedule::getMakespan).max().orElse(1);
    double minTime = schedules.stream().mapToDouble(TaskFarmSchedule::getMakespan).min().orElse(0);
    char[][] grid = new char[HEIGHT][WIDTH];
    for (char[] row : grid) {
      java.util.Arrays.fill(row, ' ');
    }
    for (int i = 0; i < schedules.size(); i++) {
      TaskFarmSchedule s = schedules.get(i);
      int x = scale(s.getMakespan(), minTime, maxTime, WIDTH - 1);
      int y = HEIGHT - 1 - scale(s.getCost(), minCost, maxCost, HEIGHT - 1);
      grid[y][x] = Character.forDigit((i + 1) % 36, 36);
    }
    String top = String.format(Locale.ROOT, "%8.2f", maxCost);
    String bottom = String.format(Locale.ROOT, "%8.2f", minCost);
    lines.add("    cost");
    for (int y = 0; y < HEIGHT; y++) {
      String label = y == 0 ? top : y == HEIGHT - 1 ? bottom : " ".repeat(8);
      lines.add(label + " |" + new String(grid[y]).stripTrailing());
    }
    lines.add(" ".repeat(9) + "+" + "-".repeat(WIDTH));
    String left = String.format(Locale.ROOT, "%.1f s", minTime);
    String right = String.format(Locale.ROOT, "%.1f s", maxTime);
    lines.add(" ".repeat(10) + left + " ".repeat(Math.max(1, WIDTH - left.length() - right.length())) + right
        + "  makespan");
    lines.add("");
    for (int i = 0; i < schedules.size(); i++) {
      TaskFarmSchedule s = schedules.get(i);
      lines.add(String.format(Locale.ROOT, "%2d %-10s cost %9.2f  makespan %8.1f s  workers %s", i + 1, s.getName(),
          s.getCost(), s.getMakespan(), String.join(" ", s.getWorkers().stream()
              .map(w -> w.getCount() + "x" + w.getInstanceType()).toList())));
    }
    return lines;
  }

  private static int scale(double v, double min, double max, int cells) {
    if (max - min < 1e-9) {
      return 0;
    }
    return (int) Math.round((v - min) / (max - min) * cells);
  }

  /** [#########.........] done/total with failed and running counts. */
  static String progressBar(TaskFarmProgress p, int width) {
    int total = p == null || p.getTotal() == null ? 0 : p.getTotal();
    int done = p == null || p.getDone() == null ? 0 : p.getDone();
    int failed = p == null || p.getFailed() == null ? 0 : p.getFailed();
    int running = p == null || p.getRunning() == null ? 0 : p.getRunning();
    int filled = total == 0 ? 0 : (int) Math.round((double) (done + failed) / total * width);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " done, " + failed
        + " failed, " + running + " running";
  }
}
