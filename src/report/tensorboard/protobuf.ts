/**
 * A minimal protocol-buffers writer: the few wire types TensorBoard's event
 * files use (varint, 64-bit double, 32-bit float, length-delimited), enough to
 * encode Event, Summary, HistogramProto and the hparams plugin's messages
 * without a code generator or a dependency.
 *
 *     const m = new ProtoWriter().double(1, 1.5).string(3, 'brain.Event:2').finish();
 */
import { concatBytes } from '../../engine/data/bytes.js';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;
const utf8 = new TextEncoder();

/** Builds one message field by field, in the order the fields are written. */
export class ProtoWriter {
  private readonly parts: number[] = [];
  private readonly chunks: Uint8Array[] = [];

  private flushBytes(): void {
    if (this.parts.length > 0) {
      this.chunks.push(Uint8Array.from(this.parts));
      this.parts.length = 0;
    }
  }

  /** A non-negative integer below 2^53 as a base-128 varint. */
  private varint(v: number): void {
    if (!(Number.isSafeInteger(v) && v >= 0)) throw new Error(`varint ${v} is not a non-negative safe integer`);
    while (v >= 0x80) {
      this.parts.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.parts.push(v);
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  private raw(b: Uint8Array): void {
    this.flushBytes();
    this.chunks.push(b);
  }

  /** int32/int64/enum/bool field (non-negative values). */
  uint(field: number, v: number): this {
    this.tag(field, WIRE_VARINT);
    this.varint(v);
    return this;
  }

  /** double field. */
  double(field: number, v: number): this {
    this.tag(field, WIRE_FIXED64);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.raw(b);
    return this;
  }

  /** float field (the value is rounded to float32). */
  float(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.raw(b);
    return this;
  }

  /** bytes or embedded message field. */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, WIRE_BYTES);
    this.varint(b.length);
    this.raw(b);
    return this;
  }

  /** string field (UTF-8). */
  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  /** packed repeated double field. */
  packedDoubles(field: number, values: readonly number[]): this {
    const b = new Uint8Array(8 * values.length);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => {
      view.setFloat64(8 * i, v, true);
    });
    return this.bytes(field, b);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flushBytes();
    return concatBytes(this.chunks);
  }
}
