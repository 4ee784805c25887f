import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Thread CPU time per call of a JMH benchmark method, for a machine too busy for wall-clock
 * figures: JMH measures elapsed time, which on a shared machine includes the time the thread waited
 * for a core. Run as a source file with a benchmarks jar on the class path:
 * {@code java -cp benchmarks.jar CpuTimePerOp.java CLASS METHOD [ROUNDS] [CALLS]}; the class's
 * public no-argument {@code setUp} runs first, then ROUNDS rounds (default 15) of CALLS calls
 * (default 100,000) after as many warm-up rounds; prints the median and the fastest round in ns of
 * CPU per call.
 */
public final class CpuTimePerOp {
  public static void main(String[] args) throws Exception {
    Class<?> type = Class.forName(args[0]);
    Object state = type.getConstructor().newInstance();
    type.getMethod("setUp").invoke(state);
    Method method = type.getMethod(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    int calls = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Object sink = null;
    double[] perCall = new double[rounds];
    for (int r = -rounds; r < rounds; r++) { // negative rounds warm up
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < calls; i++) {
        sink = method.invoke(state);
      }
      long cpu = threads.getCurrentThreadCpuTime() - start;
      if (r >= 0) {
        perCall[r] = (double) cpu / calls;
      }
    }
    Arrays.sort(perCall);
    System.out.printf(
        "%s.%s: median %.0f ns, fastest %.0f ns of CPU per call (%d rounds of %d)%s%n",
        type.getSimpleName(),
        args[1],
        perCall[rounds / 2],
        perCall[0],
        rounds,
        calls,
        sink == null ? "" : "");
  }
}
