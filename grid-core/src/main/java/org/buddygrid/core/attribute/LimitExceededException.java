package org.buddygrid.core.attribute;

/**
 * Internal signal that a value, or bytes being decoded, went over one of the {@link CodecLimits}.
 * {@link AttributeCodec} turns it into an {@link AttributeTooLargeException} when encoding and a
 * {@link MalformedAttributeException} when decoding. Carries no stack trace: hostile input may
 * raise it often.
 */
final class LimitExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which limit; {@code actual} is -1 when only "more than the limit" is known. */
  enum Limit {
    COLLECTION_LENGTH(CodecLimits.MAX_COLLECTION_LENGTH),
    /** Nulls of all-null collections, which take no byte each, counted over the whole value. */
    NULL_ELEMENTS(CodecLimits.MAX_COLLECTION_LENGTH),
    STRING_LENGTH(CodecLimits.MAX_STRING_LENGTH),
    CLASS_NAME_LENGTH("the class name length limit"),
    DEPTH(CodecLimits.MAX_DEPTH);

    final String setting;

    Limit(String setting) {
      this.setting = setting;
    }
  }

  final Limit limit;
  final long actual;
  final long max;

  LimitExceededException(Limit limit, long actual, long max) {
    super(null, null, false, false);
    this.limit = limit;
    this.actual = actual;
    this.max = max;
  }

  /** What went over, e.g. "a collection, map or array of 2,000,000 elements". */
  String what() {
    String count = actual < 0 ? String.format("more than %,d", max) : String.format("%,d", actual);
    switch (limit) {
      case COLLECTION_LENGTH:
        return "a collection, map or array of " + count + " elements";
      case NULL_ELEMENTS:
        return "collections of nulls with " + count + " elements in all";
      case STRING_LENGTH:
        return "a string of " + count + " characters";
      case CLASS_NAME_LENGTH:
        return "a class name of " + count + " characters";
      default:
        return "objects nested more than " + max + " deep";
    }
  }

  @Override
  public String getMessage() {
    return what() + ", over " + limit.setting + String.format(" (%,d)", max);
  }
}
