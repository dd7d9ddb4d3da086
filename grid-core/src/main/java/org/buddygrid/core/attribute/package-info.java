/**
 * The attribute codec: session attribute values to bytes and back, with Kryo 5, under a class
 * allow-list and size limits.
 *
 * <ul>
 *   <li>{@link org.buddygrid.core.attribute.AttributeCodec} encodes and decodes; thread-safe.
 *   <li>{@link org.buddygrid.core.attribute.ClassPolicy} says which classes may be stored ({@code
 *       buddygrid.allow}); JDK value types and collections always may.
 *   <li>{@link org.buddygrid.core.attribute.CodecLimits} bounds size, lengths and depth.
 *   <li>{@link org.buddygrid.core.attribute.ContentHash} hashes encoded bytes, to ship only the
 *       attributes whose bytes changed.
 * </ul>
 *
 * <p>Guarantees: the owner refuses at encode time, with a message naming the class or attribute and
 * the setting to change, any value a backup would refuse. A receiver never loads or instantiates a
 * class outside its policy, never allocates for a length its input cannot hold or its limits
 * forbid, never recurses deeper than its depth limit, and reports any bad input as one exception
 * type, {@link org.buddygrid.core.attribute.MalformedAttributeException}. No Kryo type appears in
 * this package's public API.
 */
package org.buddygrid.core.attribute;
