/**
 * A Parquet file written as a stream, one row group batch at a time, without the whole file
 * ever existing in memory or under /tmp (which is memory on Cloud Functions).
 *
 * Polars (nodejs-polars 0.24.1) only writes whole files. Each chunk of rows is written by it as
 * a small Parquet file in memory; the bytes between that file's leading magic and its footer
 * (its row groups, and any page indexes) are sent on as they are, at the output position the
 * stream has reached. The footers are kept (a few KB per chunk): at the end one footer is
 * written whose row groups are every chunk's, with their byte offsets moved by where that chunk
 * landed in the output. The schema must be the same for every chunk (it is: one query, one
 * writer); a chunk whose schema differs fails the stream rather than writing a broken file.
 *
 * The footer is Thrift's compact protocol (parquet.thrift FileMetaData): it is decoded into a
 * generic tree, the offset fields are changed, and the tree is encoded again.
 */

const MAGIC = Buffer.from('PAR1', 'ascii');

// Thrift compact protocol type codes.
const BOOL_TRUE = 1;
const BOOL_FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

type Value = boolean | number | bigint | Uint8Array | Field[] | ListValue | MapValue;
interface Field { id: number; type: number; value: Value }
interface ListValue { elem: number; items: Value[] }
interface MapValue { key: number; val: number; entries: [Value, Value][] }

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('Parquet footer: unexpected end');
    return this.buf[this.pos++]!;
  }

  varint(): bigint {
    let shift = 0n;
    let out = 0n;
    for (;;) {
      const b = this.byte();
      out |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return out;
      shift += 7n;
    }
  }

  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }

  struct(): Field[] {
    const fields: Field[] = [];
    let last = 0;
    for (;;) {
      const head = this.byte();
      if (head === 0) return fields;
      const type = head & 0x0f;
      const delta = head >> 4;
      const id = delta ? last + delta : Number(this.zigzag());
      last = id;
      if (type === BOOL_TRUE || type === BOOL_FALSE) fields.push({ id, type: BOOL_TRUE, value: type === BOOL_TRUE });
      else fields.push({ id, type, value: this.value(type) });
    }
  }

  value(type: number): Value {
    switch (type) {
      case BOOL_TRUE: case BOOL_FALSE: return this.byte(); // a bool inside a list: one raw byte, kept as is
      case BYTE: return this.byte();
      case I16: case I32: case I64: return this.zigzag();
      case DOUBLE: {
        const v = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, 8).readDoubleLE(0);
        this.pos += 8;
        return v;
      }
      case BINARY: {
        const n = Number(this.varint());
        const v = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case LIST: case SET: {
        const head = this.byte();
        const elem = head & 0x0f;
        const size = head >> 4 === 15 ? Number(this.varint()) : head >> 4;
        const items: Value[] = [];
        for (let i = 0; i < size; i++) items.push(this.value(elem));
        return { elem, items };
      }
      case MAP: {
        const size = Number(this.varint());
        if (size === 0) return { key: 0, val: 0, entries: [] };
        const kv = this.byte();
        const m: MapValue = { key: kv >> 4, val: kv & 0x0f, entries: [] };
        for (let i = 0; i < size; i++) m.entries.push([this.value(m.key), this.value(m.val)]);
        return m;
      }
      case STRUCT: return this.struct();
      default: throw new Error(`Parquet footer: unknown Thrift compact type ${type}`);
    }
  }
}

class Writer {
  private readonly parts: number[] = [];
  private readonly blobs: Buffer[] = [];

  private flush(): void {
    if (this.parts.length) {
      this.blobs.push(Buffer.from(this.parts));
      this.parts.length = 0;
    }
  }

  bytes(): Buffer {
    this.flush();
    return Buffer.concat(this.blobs);
  }

  byte(b: number): void {
    this.parts.push(b & 0xff);
  }

  varint(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  zigzag(n: bigint): void {
    this.varint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
  }

  struct(fields: readonly Field[]): void {
    let last = 0;
    for (const f of fields) {
      const type = f.type === BOOL_TRUE ? (f.value ? BOOL_TRUE : BOOL_FALSE) : f.type;
      const delta = f.id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(BigInt(f.id));
      }
      last = f.id;
      if (f.type !== BOOL_TRUE) this.value(f.type, f.value);
    }
    this.byte(0);
  }

  value(type: number, v: Value): void {
    switch (type) {
      case BOOL_TRUE: case BOOL_FALSE: case BYTE: this.byte(v as number); return;
      case I16: case I32: case I64: this.zigzag(v as bigint); return;
      case DOUBLE: {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(v as number, 0);
        this.raw(b);
        return;
      }
      case BINARY: {
        const b = v as Uint8Array;
        this.varint(BigInt(b.length));
        this.raw(b);
        return;
      }
      case LIST: case SET: {
        const l = v as ListValue;
        if (l.items.length < 15) this.byte((l.items.length << 4) | l.elem);
        else {
          this.byte(0xf0 | l.elem);
          this.varint(BigInt(l.items.length));
        }
        for (const item of l.items) this.value(l.elem, item);
        return;
      }
      case MAP: {
        const m = v as MapValue;
        this.varint(BigInt(m.entries.length));
        if (!m.entries.length) return;
        this.byte((m.key << 4) | m.val);
        for (const [k, x] of m.entries) {
          this.value(m.key, k);
          this.value(m.val, x);
        }
        return;
      }
      case STRUCT: this.struct(v as Field[]); return;
      default: throw new Error(`Parquet footer: unknown Thrift compact type ${type}`);
    }
  }

  private raw(b: Uint8Array): void {
    this.flush();
    this.blobs.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
}

const field = (fields: readonly Field[], id: number) => fields.find((f) => f.id === id);

/** Adds `by` to an i64 offset field when it is there (0 stays 0: "not written"). */
function shift(fields: readonly Field[], id: number, by: bigint): void {
  const f = field(fields, id);
  if (f && f.type === I64 && (f.value as bigint) > 0n) f.value = (f.value as bigint) + by;
}

/** One Parquet file split into what is streamed (its body) and what is merged (its footer). */
function split(file: Uint8Array): { body: Uint8Array; footer: Field[] } {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < 12 || !buf.subarray(0, 4).equals(MAGIC) || !buf.subarray(buf.length - 4).equals(MAGIC)) throw new Error('Not a Parquet file');
  const footerLength = buf.readUInt32LE(buf.length - 8);
  const footerStart = buf.length - 8 - footerLength;
  return { body: buf.subarray(4, footerStart), footer: new Reader(buf.subarray(footerStart, buf.length - 8)).struct() };
}

function encodeValue(type: number, v: Value): Buffer {
  const w = new Writer();
  w.value(type, v);
  return w.bytes();
}

/**
 * Builds one Parquet file from Parquet files of the same schema, as a sequence of byte pieces:
 * `start()` is the leading magic, `add(file)` gives the piece to send for one more file (its
 * row groups), `end()` the merged footer. Holds only the footers in between.
 */
export class ParquetConcat {
  private position = 4n;
  private readonly rowGroups: Value[] = [];
  private rows = 0n;
  private first: Field[] | undefined;
  private schema: Buffer | undefined;

  start(): Uint8Array {
    return Buffer.from(MAGIC);
  }

  add(file: Uint8Array): Uint8Array {
    const { body, footer } = split(file);
    const schema = field(footer, 2);
    if (!schema) throw new Error('Parquet footer without a schema');
    const schemaBytes = encodeValue(schema.type, schema.value);
    if (!this.first) {
      this.first = footer;
      this.schema = schemaBytes;
    } else if (!schemaBytes.equals(this.schema!)) {
      throw new Error('Parquet export: a chunk came with another schema than the first');
    }
    // The body started at byte 4 of its own file; here it starts at `position`.
    const by = this.position - 4n;
    const groups = field(footer, 4);
    for (const g of ((groups?.value as ListValue | undefined)?.items ?? []) as Field[][]) {
      shift(g, 5, by);
      const ordinal = field(g, 7);
      if (ordinal) ordinal.value = BigInt(this.rowGroups.length);
      for (const cc of ((field(g, 1)?.value as ListValue | undefined)?.items ?? []) as Field[][]) {
        shift(cc, 2, by);
        shift(cc, 4, by);
        shift(cc, 6, by);
        const meta = field(cc, 3);
        if (meta) for (const id of [9, 10, 11, 14]) shift(meta.value as Field[], id, by);
      }
      this.rowGroups.push(g);
    }
    const rows = field(footer, 3);
    this.rows += (rows?.value as bigint | undefined) ?? 0n;
    this.position += BigInt(body.length);
    return body;
  }

  /** The merged footer, its length and the closing magic. */
  end(): Uint8Array {
    if (!this.first) throw new Error('Parquet export: no chunk was added');
    const fields = this.first.map((f): Field => {
      if (f.id === 3) return { ...f, value: this.rows };
      if (f.id === 4) return { ...f, value: { elem: STRUCT, items: this.rowGroups } };
      return f;
    });
    const w = new Writer();
    w.struct(fields);
    const footer = w.bytes();
    const len = Buffer.alloc(4);
    len.writeUInt32LE(footer.length, 0);
    return Buffer.concat([footer, len, MAGIC]);
  }
}
