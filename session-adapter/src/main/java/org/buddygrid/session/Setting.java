package org.buddygrid.session;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.buddygrid.session.internal.ValueParsers;

/**
 * One setting of the session adapter: its key, its default (as it would be written in a properties
 * file) and how its text is read. The settings themselves are the constants of {@link
 * BuddyGridSettings}; their values are looked up with {@link BuddyGridSettings#get(Setting)}.
 *
 * <p>Immutable. Leading and trailing blanks of a value are ignored; the rest must match the
 * setting's form, or loading fails with a message that names the key, the value and the forms
 * accepted.
 *
 * @param <T> the type of the setting's value
 */
public final class Setting<T> {
  private final String key;
  private final String defaultText;
  private final Function<String, T> parser;

  private Setting(String key, String defaultText, Function<String, T> parser) {
    this.key = Objects.requireNonNull(key, "key");
    this.defaultText = defaultText;
    this.parser = Objects.requireNonNull(parser, "parser");
  }

  static Setting<String> text(String key, String defaultText) {
    return new Setting<>(key, defaultText, ValueParsers::text);
  }

  /** A setting with no default: absent unless a source gives it. */
  static Setting<String> optionalText(String key) {
    return new Setting<>(key, null, ValueParsers::text);
  }

  static Setting<String> route(String key) {
    return new Setting<>(key, null, ValueParsers::route);
  }

  static Setting<Boolean> flag(String key, boolean defaultValue) {
    return new Setting<>(key, Boolean.toString(defaultValue), ValueParsers::flag);
  }

  static Setting<Integer> integer(String key, int defaultValue, int min, int max) {
    return new Setting<>(
        key, Integer.toString(defaultValue), v -> ValueParsers.integer(v, min, max));
  }

  static Setting<Duration> duration(String key, String defaultText) {
    return new Setting<>(key, defaultText, ValueParsers::duration);
  }

  static Setting<Long> bytes(String key, String defaultText) {
    return new Setting<>(key, defaultText, ValueParsers::bytes);
  }

  static <E extends Enum<E>> Setting<E> choice(String key, Class<E> type, E defaultValue) {
    return new Setting<>(key, defaultValue.name(), v -> ValueParsers.choice(v, type));
  }

  static Setting<List<String>> list(String key) {
    return new Setting<>(key, "", ValueParsers::list);
  }

  /** The key, as written in system properties, init parameters and {@code buddygrid.properties}. */
  public String key() {
    return key;
  }

  /** The default as text, or empty if the setting has none (it is required, or optional). */
  public Optional<String> defaultText() {
    return Optional.ofNullable(defaultText);
  }

  /**
   * The value {@code text} stands for.
   *
   * @throws IllegalArgumentException saying what is wrong and which forms are accepted
   */
  T parse(String text) {
    return parser.apply(text.strip());
  }

  @Override
  public String toString() {
    return key;
  }
}
