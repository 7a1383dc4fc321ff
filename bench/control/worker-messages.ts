/** What the bench tells a watcher worker over IPC. */
export type ToWorker =
  | { readonly type: 'wait'; readonly seq: number; readonly version: number; readonly timeoutMs: number }
  | { readonly type: 'report'; readonly everyMs: number }
  | { readonly type: 'counts'; readonly seq: number }
  | { readonly type: 'close' };

/** What a worker answers; times are µs on the host's monotonic clock (watcher.ts nowUs). */
export type FromWorker =
  | { readonly type: 'ready'; readonly count: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'acked'; readonly seq: number; readonly received: readonly number[]; readonly acked: readonly number[] }
  | { readonly type: 'acked'; readonly seq: number; readonly error: string }
  | { readonly type: 'counts'; readonly seq: number; readonly reports: number; readonly errors: number };
