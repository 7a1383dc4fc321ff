import type { SourceIssue } from '../config/config-error.js';
import type { MeshConfig } from '../config/mesh-schema.js';

/** One validated configuration, as a source delivers it. */
export interface MeshSnapshot {
  /** Grows with every snapshot of one source: a file's load count, the control plane's store revision. */
  readonly version: number;
  readonly config: MeshConfig;
  /** Where it came from, for /healthz and logs: a file's path, or `control <url>`. */
  readonly origin: string;
}

export type ReloadResult = { readonly ok: true; readonly services: number } | { readonly ok: false; readonly issues: readonly SourceIssue[] };

/**
 * The mesh port of the proxy core: validated, versioned snapshots and a
 * notice on each change. The core never learns whether a file or a control
 * plane is behind it. Implementations: FileMeshSource, ControlMeshSource.
 */
export interface MeshSource {
  /** The newest snapshot; undefined while there is none (a control plane not reached yet, no fallback file). */
  current(): MeshSnapshot | undefined;
  /** Calls `listener` with each later snapshot; returns the function that stops it. Listeners must not throw. */
  onSnapshot(listener: (snapshot: MeshSnapshot) => void): () => void;
  /**
   * Reads the source again now (SIGHUP, POST /v1/reload); never throws.
   * Undefined on sources that push (the control plane): nothing to re-read.
   */
  readonly reload?: (() => ReloadResult) | undefined;
  close(): void;
}
