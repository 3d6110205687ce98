package io.conpaas.reconcilers.taskfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.conpaas.reconcilers.taskfarm.ScheduleMath.Mix;
import io.conpaas.reconcilers.taskfarm.ScheduleMath.TypeModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleMathTest {
  /*
   * Three types, 30 tasks, at most 2 workers of each, one-hour billing unit, no startup:
   *   small  mu = 6 s, 1/h;  medium  mu = 3 s, 3/h;  large  mu = 2 s, 5/h.
   * Every makespan is far below an hour, so a mix costs sum n_t * p_t. T(n) is the smallest moment a
   * task ends (a multiple of 6, 3 or 2) with n_s*floor(T/6) + n_m*floor(T/3) + n_l*floor(T/2) >= 30.
   * Worked by hand for all 26 mixes (s,m,l) -> cost, T:
   *   (1,0,0) 1 180   (2,0,0) 2 90   (0,1,0) 3 90   (1,1,0) 4 60: at 57 9+19=28, at 60 10+20=30
   *   (0,0,1) 5 60    (2,1,0) 5 48: at 45 14+15=29, at 48 16+16=32
   *   (1,0,1) 6 46: at 44 7+22=29, at 46 7+23=30   (0,2,0) 6 45
   *   (2,0,1) 7 36: at 34 10+17=27, at 36 12+18=30  (1,2,0) 7 36: at 33 5+22=27, at 36 6+24=30
   *   (0,1,1) 8 36    (2,2,0) 8 30: at 27 8+18=26   (1,1,1) 9 30: at 28 4+9+14=27   (0,0,2) 10 30
   *   (2,1,1) 10 27: at 26 8+8+13=29, at 27 8+9+13=30   (1,0,2) 11 26: at 24 4+24=28
   *   (0,2,1) 11 27   (2,0,2) 12 24: at 22 6+22=28   (1,2,1) 13 24   (0,1,2) 13 24
   *   (2,2,1) 13 21: at 20 6+12+10=28, at 21 6+14+10=30   (1,1,2) 14 21   (2,1,2) 15 18: at 16 4+5+16=25
   *   (0,2,2) 16 18   (1,2,2) 17 18   (2,2,2) 18 16: at 15 4+10+14=28, at 16 4+10+16=30
   * Front (strictly faster than everything cheaper; the cost-7 tie goes to the mix met first in
   * odometer order, (1,2,0)): 1/180, 2/90, 4/60, 5/48, 6/45, 7/36, 8/30, 10/27, 11/26, 12/24, 13/21,
   * 15/18, 18/16.
   */
  private static final List<TypeModel> THREE = List.of(
      new TypeModel("small", 6, 1, 2), new TypeModel("medium", 3, 3, 2), new TypeModel("large", 2, 5, 2));

  @Test
  void computeTimesMatchTheHandWorkedCases() {
    assertThat(ScheduleMath.computeSeconds(THREE, new int[] {1, 0, 0}, 30)).isEqualTo(180);
    assertThat(ScheduleMath.computeSeconds(THREE, new int[] {1, 1, 0}, 30)).isEqualTo(60);
    assertThat(ScheduleMath.computeSeconds(THREE, new int[] {2, 1, 0}, 30)).isEqualTo(48);
    assertThat(ScheduleMath.computeSeconds(THREE, new int[] {1, 0, 1}, 30)).isEqualTo(46);
    assertThat(ScheduleMath.computeSeconds(THREE, new int[] {2, 1, 1}, 30)).isEqualTo(27);
    assertThat(ScheduleMath.computeSeconds(THREE, new int[] {2, 2, 1}, 30)).isEqualTo(21);
    assertThat(ScheduleMath.computeSeconds(THREE, new int[] {2, 2, 2}, 30)).isEqualTo(16);
  }

  @Test
  void theParetoFrontOfThreeTypesAndThirtyTasksIsTheHandWorkedOne() {
    List<Mix> front = ScheduleMath.paretoFront(ScheduleMath.allMixes(THREE, 30, 0, 3600));
    assertThat(front).extracting(Mix::cost).containsExactly(1.0, 2.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 11.0, 12.0,
        13.0, 15.0, 18.0);
    assertThat(front).extracting(Mix::makespan).containsExactly(180.0, 90.0, 60.0, 48.0, 45.0, 36.0, 30.0, 27.0,
        26.0, 24.0, 21.0, 18.0, 16.0);
    assertThat(front.get(5).counts()).containsExactly(1, 2, 0);
    assertThat(front.get(4).counts()).containsExactly(0, 2, 0);
    assertThat(front.get(12).counts()).containsExactly(2, 2, 2);
  }

  @Test
  void offeredSchedulesKeepTheCheapestAndTheFastestAndSpreadTheRest() {
    List<Mix> front = ScheduleMath.paretoFront(ScheduleMath.allMixes(THREE, 30, 0, 3600));
    // Positions round(i * 12 / 5): 0, 2, 5, 7, 10, 12.
    assertThat(ScheduleMath.offered(front, 6)).extracting(Mix::cost).containsExactly(1.0, 4.0, 7.0, 10.0, 13.0, 18.0);
    assertThat(ScheduleMath.names(4)).containsExactly("cheapest", "pareto-1", "pareto-2", "fastest");
  }

  @Test
  void startupAndShortBillingUnitsEnterTheCost() {
    // 2 small workers: 90 s of work + 10 s startup = 100 s; billed by started 60 s units: 2 units = 120 s each.
    List<TypeModel> one = List.of(new TypeModel("small", 6, 36, 2));
    Mix two = ScheduleMath.allMixes(one, 30, 10, 60).get(1);
    assertThat(two.makespan()).isEqualTo(100.0);
    assertThat(two.cost()).isCloseTo(2 * 36 * 120 / 3600.0, within(1e-9));
    // 1 worker: 190 s -> 4 units of 60 s = 240 s: the same 2.4 as two workers, which are faster, so the
    // front holds only the pair (per started unit, parallelism can be free).
    Mix single = ScheduleMath.allMixes(one, 30, 10, 60).get(0);
    assertThat(single.cost()).isCloseTo(36 * 240 / 3600.0, within(1e-9));
    assertThat(ScheduleMath.paretoFront(List.of(single, two))).containsExactly(two);
  }

  @Test
  void keptWorkersStartBeforeAddedOnes() {
    // One kept small worker from 1 s and one added from 10 s, 6 s tasks, 5 tasks: by 19 s the kept one has 3
    // (7, 13, 19) and the added one 1 (16): 4; by 22 s the added one has 2: 5 -> 22 s (both from 10 s: 28 s).
    int[] kept = {1, 0, 0};
    int[] added = {1, 0, 0};
    assertThat(ScheduleMath.computeSeconds(THREE, kept, added, 5, 1, 10)).isEqualTo(22.0);
    assertThat(ScheduleMath.computeSeconds(THREE, new int[] {0, 0, 0}, new int[] {2, 0, 0}, 5, 1, 10)).isEqualTo(28.0);
  }
}
