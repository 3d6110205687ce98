package io.conpaas.reconcilers.htc;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.reconcilers.htc.ThroughputMath.Point;
import io.conpaas.reconcilers.htc.ThroughputMath.TypeRate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** throughput = f(cost) against cases worked out by hand. */
class ThroughputMathTest {
  /**
   * slow: 2 s per task = 1800 tasks/h at 1/h; fast: 1 s = 3600 tasks/h at 3/h; at most 2 of each.
   * All 8 configurations (slow, fast): (1,0) 1/1800, (2,0) 2/3600, (0,1) 3/3600, (1,1) 4/5400,
   * (2,1) 5/7200, (0,2) 6/7200, (1,2) 7/9000, (2,2) 8/10800. (0,1) is no better than the cheaper (2,0)
   * and (0,2) no better than (2,1): the front keeps the other 6.
   */
  private static final List<TypeRate> TWO = List.of(new TypeRate("slow", 2, 1, 2), new TypeRate("fast", 1, 3, 2));

  @Test
  void twoTypesFrontByHand() {
    List<Point> f = ThroughputMath.function(TWO);
    assertThat(f).extracting(Point::cost).containsExactly(1.0, 2.0, 4.0, 5.0, 7.0, 8.0);
    assertThat(f).extracting(Point::throughput).containsExactly(1800.0, 3600.0, 5400.0, 7200.0, 9000.0, 10800.0);
    assertThat(f.get(2).counts()).containsExactly(1, 1);
    assertThat(ThroughputMath.tmax(f)).isEqualTo(10800.0);
  }

  @Test
  void configurationIsTheCheapestPointReachingTheTarget() {
    List<Point> f = ThroughputMath.function(TWO);
    assertThat(ThroughputMath.configuration(f, 5000).orElseThrow().counts()).containsExactly(1, 1);
    assertThat(ThroughputMath.configuration(f, 3600).orElseThrow().counts()).containsExactly(2, 0);
    assertThat(ThroughputMath.configuration(f, 0).orElseThrow().counts()).containsExactly(1, 0);
    assertThat(ThroughputMath.configuration(f, 10800).orElseThrow().counts()).containsExactly(2, 2);
    assertThat(ThroughputMath.configuration(f, 10801)).isEmpty();
    // A target read from status (3 decimals, rounded up) still selects that point: 3 x 3600 / 2.137 = 5053.8137...
    List<Point> g = ThroughputMath.function(List.of(new TypeRate("slow", 2.137, 1, 3), new TypeRate("fast", 1.077, 3, 3)));
    assertThat(ThroughputMath.configuration(g, 5053.814).orElseThrow().counts()).containsExactly(3, 0);
  }

  @Test
  void fOfCostIsAStepFunction() {
    List<Point> f = ThroughputMath.function(TWO);
    assertThat(ThroughputMath.throughputAt(f, 0.5)).isZero();
    assertThat(ThroughputMath.throughputAt(f, 3.99)).isEqualTo(3600.0);
    assertThat(ThroughputMath.throughputAt(f, 6.5)).isEqualTo(7200.0);
    assertThat(ThroughputMath.throughputAt(f, 100)).isEqualTo(10800.0);
  }

  /**
   * a: 4 s = 900/h at 1; b: 2 s = 1800/h at 1.5; c: 1 s = 3600/h at 2; one of each at most.
   * (a,b,c): (1,0,0) 1/900, (0,1,0) 1.5/1800, (0,0,1) 2/3600, (1,1,0) 2.5/2700 (worse than the cheaper
   * (0,0,1): dropped), (1,0,1) 3/4500, (0,1,1) 3.5/5400, (1,1,1) 4.5/6300.
   */
  @Test
  void threeTypesDropTheDominatedConfiguration() {
    List<TypeRate> three = List.of(new TypeRate("a", 4, 1, 1), new TypeRate("b", 2, 1.5, 1), new TypeRate("c", 1, 2, 1));
    List<Point> f = ThroughputMath.function(three);
    assertThat(f).extracting(Point::cost).containsExactly(1.0, 1.5, 2.0, 3.0, 3.5, 4.5);
    assertThat(f).extracting(Point::throughput).containsExactly(900.0, 1800.0, 3600.0, 4500.0, 5400.0, 6300.0);
    assertThat(ThroughputMath.configuration(f, 2700).orElseThrow().counts()).containsExactly(0, 0, 1);
    assertThat(ThroughputMath.configuration(f, 5000).orElseThrow().counts()).containsExactly(0, 1, 1);
  }
}
