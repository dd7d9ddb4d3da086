package org.buddygrid.replication;

/**
 * What to do when two attributes share one mutable object (a {@code school} holding the {@code
 * student} stored under another name). With attribute granularity each attribute is encoded on its
 * own, so a backup ends with two separate copies and the link is lost after a takeover.
 */
public enum CrossReferences {
  /** Encode attributes separately; log each shared pair once and count it. */
  DETECT,
  /** Encode attributes that share objects together, so the shared identity survives a takeover. */
  GROUP
}
