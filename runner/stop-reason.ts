/** Why a run stopped early; the run's abort signal carries one as its reason. */
export type StopReason =
  | { readonly kind: 'safeguard'; readonly message: string }
  | { readonly kind: 'interrupted'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export const stopReasonOf = (signal: AbortSignal): StopReason | undefined => (signal.aborted ? (signal.reason as StopReason) : undefined);

/** The journal status a stop leads to. */
export const statusOf = (reason: StopReason) => ({ safeguard: 'aborted', interrupted: 'interrupted', failed: 'failed' }) [reason.kind] as 'aborted' | 'interrupted' | 'failed';
