/** What H6's registry hands the data path: one toxic, validated once (see attributes.ts). */
export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

/**
 * Toxiproxy's direction words: `upstream` is the client -> server bytes,
 * `downstream` the server -> client bytes.
 */
export type Stream = 'upstream' | 'downstream';

export interface ToxicSpec {
  /** Unique within a proxy, across both streams (Toxiproxy's rule). */
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: Stream;
  /** The chance, 0 to 1, that the toxic applies to a given connection. */
  readonly toxicity: number;
  /** Every attribute of the type, defaults filled in (toxicAttributes). */
  readonly attributes: Readonly<Record<string, number>>;
}

/** A source of uniform numbers in [0, 1): Math.random, or a seeded one for replays. */
export type Random = () => number;
