import type { Timers } from '../../../proxy/core/timers.js';
import type { Random, ToxicType } from '../types.js';

/**
 * What a toxic running on one link may do. The link wires it: `forward`
 * reaches the next toxic in the chain (or the destination socket), so a
 * toxic never knows where its bytes go.
 */
export interface ToxicPort {
  /** Passes bytes on, in order. */
  forward(chunk: Buffer): void;
  /** Passes the end of this direction on (the sender half-closed): a FIN once it reaches the socket. */
  end(): void;
  /**
   * Closes the connection on the toxic's own account (limit_data reached,
   * timeout ran out), as Toxiproxy's stub.Close: what was forwarded is
   * delivered, then both sockets close.
   */
  close(): void;
  /** Resets both sockets (TCP RST): nothing more is delivered either way. */
  reset(): void;
  readonly timers: Timers;
  readonly random: Random;
}

/**
 * One toxic on one link: it gets the link's bytes from the toxic before it.
 * Lives as long as the connection, or until the toxic is removed or rolled
 * out by an update.
 */
export interface ToxicRun {
  /** Bytes from the toxic before. */
  write(chunk: Buffer): void;
  /** The toxic before has ended: pass the end on once what is held has gone. */
  end(): void;
  /** Bytes held and not yet forwarded: the link stops reading its source while too many are held. */
  held(): number;
  /** New attributes of the same toxic; state carries over (limit_data's count). Absent: the link restarts the run. */
  update?(attributes: Readonly<Record<string, number>>): void;
  /**
   * The toxic is being removed from this link: forward what is held now, in
   * order (and the end if it came), stop every timer. Toxiproxy's interrupt.
   */
  release(): void;
  /** The connection is gone: stop every timer, forward nothing. */
  dispose(): void;
}

/** How one attribute is read: a whole number of its unit, at least `min` (0 by default); 0 when absent, unless `required`. */
export interface AttributeRule {
  readonly unit: string;
  readonly min?: number;
  /** No usable default: Toxiproxy's 0 would break the toxic (a slicer's 0-byte pieces never end). */
  readonly required?: boolean;
}

/**
 * One kind of toxic, registered by its Toxiproxy type name. The toxicity
 * roll is not here: the link decides whether a toxic runs on it at all.
 */
export interface ToxicKind {
  readonly type: ToxicType;
  /** Every attribute the type has, in Toxiproxy's JSON order. */
  readonly attributes: Readonly<Record<string, AttributeRule>>;
  /** Checks between attributes once each is valid; returns the attribute at fault and why. */
  check?(attributes: Readonly<Record<string, number>>): { readonly attribute: string; readonly message: string } | undefined;
  start(attributes: Readonly<Record<string, number>>, port: ToxicPort): ToxicRun;
}
