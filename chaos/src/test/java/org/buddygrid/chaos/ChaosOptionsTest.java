package org.buddygrid.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {
  @Test
  void defaultsAndQuick() {
    ChaosOptions o = ChaosOptions.parse();
    assertThat(o.nodes()).isEqualTo(3);
    assertThat(o.cycles()).isEqualTo(60);
    assertThat(o.timing()).isEqualTo("SYNC");
    assertThat(o.faults())
        .containsExactlyInAnyOrder(FaultKind.KILL, FaultKind.STOP, FaultKind.RESTART);
    ChaosOptions quick = ChaosOptions.parse("--quick", "--backups=2", "--seed", "7");
    assertThat(quick.cycles()).isEqualTo(6);
    assertThat(quick.seed()).isEqualTo(7);
    assertThat(quick.faults()).contains(FaultKind.DOUBLE_KILL);
    assertThat(quick.commandLine()).contains("--seed 7", "--backups 2", "double-kill");
  }

  @Test
  void everyProblemIsListedWithWhatToDo() {
    assertThatThrownBy(
            () ->
                ChaosOptions.parse(
                    "--nodes", "9", "--faults", "kill,nap,double-kill", "--timing", "later", "-x"))
        .hasMessageContaining("--nodes 9 is not valid: use a number from 3 to 6")
        .hasMessageContaining("unknown fault nap")
        .hasMessageContaining("double-kill needs --backups 2")
        .hasMessageContaining("--timing LATER is not valid")
        .hasMessageContaining("unknown option -x");
  }

  @Test
  void badOptionsExitWithStatus2AndHelpWith0() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(ChaosMain.run(new String[] {"--cycles", "0"}, o, e)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--cycles 0 is not valid");
    assertThat(ChaosMain.run(new String[] {"--help"}, o, e)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: chaos/run");
  }

  @Test
  void lostValuesArePrintedAsRanges() {
    assertThat(ChaosMain.ranges(List.of(1L, 2L, 3L, 5L, 7L, 8L))).isEqualTo("1-3,5,7-8");
    assertThat(Clients.base("abc.node1")).isEqualTo("abc");
  }
}
