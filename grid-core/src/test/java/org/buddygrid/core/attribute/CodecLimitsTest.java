package org.buddygrid.core.attribute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.buddygrid.core.GridException;
import org.junit.jupiter.api.Test;

class CodecLimitsTest {

  @Test
  void defaultsAreDocumented() {
    CodecLimits limits = CodecLimits.defaults();
    assertThat(limits.maxAttributeSize()).isEqualTo(1024 * 1024);
    assertThat(limits.maxCollectionLength()).isEqualTo(1024 * 1024);
    assertThat(limits.maxStringLength()).isEqualTo(1024 * 1024);
    assertThat(limits.maxDepth()).isEqualTo(32);
  }

  @Test
  void withersReturnNewLimitsAndLeaveTheOriginal() {
    CodecLimits limits = CodecLimits.defaults().withMaxAttributeSize(4096).withMaxDepth(8);
    assertThat(limits.maxAttributeSize()).isEqualTo(4096);
    assertThat(limits.maxDepth()).isEqualTo(8);
    assertThat(CodecLimits.defaults().maxAttributeSize()).isEqualTo(1 << 20);
    assertThat(limits).isEqualTo(CodecLimits.defaults().withMaxDepth(8).withMaxAttributeSize(4096));
    assertThat(limits.toString()).contains("buddygrid.max-attribute-size=4096");
  }

  @Test
  void withersRefuseValuesOutOfBoundsNamingTheSetting() {
    CodecLimits limits = CodecLimits.defaults();
    assertThatThrownBy(() -> limits.withMaxAttributeSize(0))
        .isInstanceOf(GridException.class)
        .hasMessage("buddygrid.max-attribute-size must be between 1 and 1073741824, not 0");
    assertThatThrownBy(() -> limits.withMaxCollectionLength(-1))
        .hasMessage("buddygrid.max-collection-length must be at least 1, not -1");
    assertThatThrownBy(() -> limits.withMaxStringLength(0))
        .hasMessage("buddygrid.max-string-length must be at least 1, not 0");
    assertThatThrownBy(() -> limits.withMaxDepth(257))
        .hasMessage("buddygrid.max-depth must be between 1 and 256, not 257");
  }

  @Test
  void fromSettingsReadsEachSettingOrKeepsItsDefault() {
    CodecLimits limits =
        CodecLimits.fromSettings(
            Map.of("buddygrid.max-attribute-size", "65_536", "buddygrid.max-depth", " 16 ")::get);
    assertThat(limits)
        .isEqualTo(CodecLimits.defaults().withMaxAttributeSize(65536).withMaxDepth(16));
    assertThatThrownBy(
            () -> CodecLimits.fromSettings(Map.of("buddygrid.max-string-length", "lots")::get))
        .isInstanceOf(GridException.class)
        .hasMessage(
            "buddygrid.max-string-length must be a whole number, not \"lots\" (default 1048576)");
  }
}
