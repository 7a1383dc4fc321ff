/** Where an emergency halt was made, and the latest time the run's fault can have held there. */
export interface EmergencyHalt {
  readonly admin: string;
  readonly at: string;
}

/** Why a run stopped early; the run's abort signal carries one as its reason. */
export type StopReason =
  | { readonly kind: 'safeguard'; readonly message: string }
  /** `halt`: an operator's halt on a proxy or control plane (found by the fault ledger), which a game day must obey at once. */
  | { readonly kind: 'interrupted'; readonly message: string; readonly halt?: EmergencyHalt }
  | { readonly kind: 'failed'; readonly message: string };

export const stopReasonOf = (signal: AbortSignal): StopReason | undefined => (signal.aborted ? (signal.reason as StopReason) : undefined);

/** The journal status a stop leads to. */
export const statusOf = (reason: StopReason) => ({ safeguard: 'aborted', interrupted: 'interrupted', failed: 'failed' }) [reason.kind] as 'aborted' | 'interrupted' | 'failed';
