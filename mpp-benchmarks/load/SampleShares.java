import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Counts JFR execution samples by group of methods: a sample counts for a group when any frame of
 * its stack is a method matching the group's pattern (inclusive time). Run as a source file:
 * {@code java SampleShares.java groups.txt recording.jfr}; each line of groups.txt is {@code label
 * regex}, the regex matched against {@code class.method} (lines starting with # are comments).
 */
public final class SampleShares {
  public static void main(String[] args) throws Exception {
    Map<String, Pattern> groups = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.indexOf(' ');
      groups.put(line.substring(0, space), Pattern.compile(line.substring(space + 1).strip()));
    }
    List<String> labels = new ArrayList<>(groups.keySet());
    long[] counts = new long[labels.size()];
    long total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[1]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")
          || event.getStackTrace() == null) {
        continue;
      }
      total++;
      boolean[] hit = new boolean[labels.size()];
      for (RecordedFrame frame : event.getStackTrace().getFrames()) {
        String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
        for (int g = 0; g < labels.size(); g++) {
          if (!hit[g] && groups.get(labels.get(g)).matcher(name).matches()) {
            hit[g] = true;
            counts[g]++;
          }
        }
      }
    }
    System.out.printf("%s: %d samples%n", Path.of(args[1]).getFileName(), total);
    for (int g = 0; g < labels.size(); g++) {
      System.out.printf(
          "  %-28s %7d  %6.2f %%%n", labels.get(g), counts[g], total == 0 ? 0 : 100.0 * counts[g] / total);
    }
  }
}
