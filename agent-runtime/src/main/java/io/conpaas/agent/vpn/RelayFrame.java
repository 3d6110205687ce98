package io.conpaas.agent.vpn;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The relay's datagram format: "CR", version 1, a type (HELLO registers the sender's public key at
 * its address, ACK answers it, DATA carries one WireGuard datagram), the sender's and the
 * receiver's public keys (32 bytes each) and the payload. The relay never sees a private key and
 * cannot read the payload (WireGuard encrypts end to end).
 */
record RelayFrame(byte type, byte[] source, byte[] destination, byte[] payload) {
  static final byte HELLO = 1;
  static final byte ACK = 2;
  static final byte DATA = 3;
  static final int HEADER = 4 + 32 + 32;
  /** A WireGuard datagram over a 1420-byte MTU is at most 1500 bytes; frames above this are dropped. */
  static final int MAX_FRAME = HEADER + 2048;
  private static final byte[] NO_KEY = new byte[32];

  static RelayFrame hello(byte[] source) {
    return new RelayFrame(HELLO, source, NO_KEY, new byte[0]);
  }

  static RelayFrame ack(byte[] destination) {
    return new RelayFrame(ACK, NO_KEY, destination, new byte[0]);
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
    b.put((byte) 'C').put((byte) 'R').put((byte) 1).put(type).put(source).put(destination).put(payload);
    return b.flip();
  }

  /** The frame in a received datagram, or empty when it is not one. */
  static Optional<RelayFrame> decode(ByteBuffer b) {
    if (b.remaining() < HEADER || b.remaining() > MAX_FRAME || b.get() != 'C' || b.get() != 'R' || b.get() != 1) {
      return Optional.empty();
    }
    byte type = b.get();
    if (type < HELLO || type > DATA) {
      return Optional.empty();
    }
    byte[] src = new byte[32];
    byte[] dst = new byte[32];
    b.get(src).get(dst);
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    return Optional.of(new RelayFrame(type, src, dst, payload));
  }

  static byte[] key(String base64) {
    byte[] k = Base64.getDecoder().decode(base64);
    if (k.length != 32) {
      throw new IllegalArgumentException("not a WireGuard key");
    }
    return k;
  }

  static String key(byte[] raw) {
    return Base64.getEncoder().encodeToString(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayFrame f && f.type == type && Arrays.equals(f.source, source)
        && Arrays.equals(f.destination, destination) && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(source) * 31 + type;
  }
}
